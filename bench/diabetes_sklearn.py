#!/usr/bin/env python3
"""scikit-learn's peers of configs/diabetes-regression.yaml, on exactly its split.

The spec splits without shuffling: train = the first 288 rows of datasets/diabetes.csv,
test = the next 88, validation = the last 66. Features are z-scored with the training rows'
mean and population std, as dlx's zscore; the MLP's target is standardized the same way, as
dlx standardizes a regression target. Prints one JSON object: test R² of each model.
Run: /usr/bin/python3 bench/diabetes_sklearn.py  (Debian: apt-get install python3-sklearn)
"""
import json
import os
import sys

import numpy as np
from sklearn.linear_model import LinearRegression
from sklearn.metrics import r2_score
from sklearn.neural_network import MLPRegressor

here = os.path.dirname(os.path.abspath(__file__))
path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, '..', 'datasets', 'diabetes.csv')
data = np.loadtxt(path, delimiter=',', skiprows=1)
x, y = data[:, :-1], data[:, -1]
train, test = slice(0, 288), slice(288, 376)
mean, std = x[train].mean(axis=0), x[train].std(axis=0)
x = (x - mean) / np.where(std > 0, std, 1)
y_mean, y_std = y[train].mean(), y[train].std()

linear = LinearRegression().fit(x[train], y[train])
r2_linear = r2_score(y[test], linear.predict(x[test]))

scores = []
for seed in range(5):
    mlp = MLPRegressor(hidden_layer_sizes=(16,), activation='relu', solver='adam', learning_rate_init=0.01,
                       batch_size=32, alpha=0.002, max_iter=2000, early_stopping=True, validation_fraction=0.2,
                       n_iter_no_change=20, random_state=seed)
    mlp.fit(x[train], (y[train] - y_mean) / y_std)
    scores.append(r2_score(y[test], mlp.predict(x[test]) * y_std + y_mean))

print(json.dumps({'linear_r2': r2_linear, 'mlp_r2': float(np.mean(scores)), 'mlp_r2_per_seed': scores,
                  'train_rows': 288, 'test_rows': 88}))
