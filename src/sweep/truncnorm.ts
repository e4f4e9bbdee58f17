// The standard normal's CDF in log space and the truncated normal's quantile and log density,
// as TPE's Parzen estimators need them: the functions of Optuna 3.1's `_truncnorm.py` (from
// SciPy), with erf/erfc ported from FreeBSD's s_erf.c (JavaScript has no Math.erf).
// https://github.com/optuna/optuna/blob/v3.1.0/optuna/samplers/_tpe/_truncnorm.py

const erx = 8.45062911510467529297e-1;
const efx = 1.28379167095512586316e-1;
const pp = [1.28379167095512558561e-1, -3.25042107247001499370e-1, -2.84817495755985104766e-2, -5.77027029648944159157e-3, -2.37630166566501626084e-5];
const qq = [1, 3.97917223959155352819e-1, 6.50222499887672944485e-2, 5.08130628187576562776e-3, 1.32494738004321644526e-4, -3.96022827877536812320e-6];
const pa = [-2.36211856075265944077e-3, 4.14856118683748331666e-1, -3.72207876035701323847e-1, 3.18346619901161753674e-1, -1.10894694282396677476e-1, 3.54783043256182359371e-2, -2.16637559486879084300e-3];
const qa = [1, 1.06420880400844228286e-1, 5.40397917702171048937e-1, 7.18286544141962662868e-2, 1.26171219808761642112e-1, 1.36370839120290507362e-2, 1.19844998467991074170e-2];
const ra = [-9.86494403484714822705e-3, -6.93858572707181764372e-1, -1.05586262253232909814e1, -6.23753324503260060396e1, -1.62396669462573470355e2, -1.84605092906711035994e2, -8.12874355063065934246e1, -9.81432934416914548592];
const sa = [1, 1.96512716674392571292e1, 1.37657754143519042600e2, 4.34565877475229228821e2, 6.45387271733267880336e2, 4.29008140027567833386e2, 1.08635005541779435134e2, 6.57024977031928170135, -6.04244152148580987438e-2];
const rb = [-9.86494292470009928597e-3, -7.99283237680523006574e-1, -1.77579549177547519889e1, -1.60636384855821916062e2, -6.37566443368389627722e2, -1.02509513161107724954e3, -4.83519191608651397019e2];
const sb = [1, 3.03380607434824582924e1, 3.25792512996573918826e2, 1.53672958608443695994e3, 3.19985821950859553908e3, 2.55305040643316442583e3, 4.74528541206955367215e2, -2.24409524465858183362e1];

/** Horner: c[0] + x·c[1] + x²·c[2] + … */
function poly(c: readonly number[], x: number): number {
  let r = c[c.length - 1];
  for (let i = c.length - 2; i >= 0; i--) r = r * x + c[i];
  return r;
}

const word = new Float64Array(1);
const halves = new Uint32Array(word.buffer);
/** x with the low 32 bits of its mantissa cleared (s_erf.c's SET_LOW_WORD(z, 0)). */
function highWord(x: number): number {
  word[0] = x;
  halves[0] = 0; // little-endian: the low word comes first
  return word[0];
}

/** erfc(|x|)·… for 1.25 ≤ |x| < 28: the tail both erf and erfc use, for a = |x|. */
function tail(a: number): number {
  const s = 1 / (a * a);
  const rs = a < 1 / 0.35 ? poly(ra, s) / poly(sa, s) : poly(rb, s) / poly(sb, s);
  const z = highWord(a);
  return (Math.exp(-z * z - 0.5625) * Math.exp((z - a) * (z + a) + rs)) / a;
}

export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  if (a < 2 ** -28) return x + efx * x;
  if (a < 0.84375) {
    const z = x * x;
    return x + x * (poly(pp, z) / poly(qq, z));
  }
  if (a < 1.25) {
    const s = a - 1;
    return Math.sign(x) * (erx + poly(pa, s) / poly(qa, s));
  }
  if (a >= 6) return Math.sign(x);
  return Math.sign(x) * (1 - tail(a));
}

export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  if (a < 0.84375) {
    if (a < 2 ** -56) return 1 - x;
    const z = x * x;
    const y = poly(pp, z) / poly(qq, z);
    if (x < 0.25) return 1 - (x + x * y);
    return 0.5 - (x * y + (x - 0.5));
  }
  if (a < 1.25) {
    const s = a - 1;
    const pq = poly(pa, s) / poly(qa, s);
    return x >= 0 ? 1 - erx - pq : 1 + erx + pq;
  }
  if (a < 28) {
    if (x < -6) return 2;
    const r = tail(a);
    return x > 0 ? r : 2 - r;
  }
  return x > 0 ? 0 : 2;
}

/** Φ(a), the standard normal CDF, accurate in both tails. */
export function ndtr(a: number): number {
  const x = a / Math.SQRT2;
  if (x < -Math.SQRT1_2) return 0.5 * erfc(-x);
  if (x < Math.SQRT1_2) return 0.5 + 0.5 * erf(x);
  return 1 - 0.5 * erfc(x);
}

/** log Φ(a); an asymptotic series below −20 where Φ underflows. */
export function logNdtr(a: number): number {
  if (a > 6) return -ndtr(-a); // log(1 − ε) ≈ −ε
  if (a > -20) return Math.log(ndtr(a));
  const logLhs = -0.5 * a * a - Math.log(-a) - 0.5 * Math.log(2 * Math.PI);
  let last = 0;
  let rhs = 1;
  let numerator = 1;
  let denomFactor = 1;
  const denomCons = 1 / (a * a);
  let sign = 1;
  for (let i = 1; Math.abs(last - rhs) > Number.EPSILON; i++) {
    last = rhs;
    sign = -sign;
    denomFactor *= denomCons;
    numerator *= 2 * i - 1;
    rhs += sign * numerator * denomFactor;
  }
  return logLhs + Math.log(rhs);
}

/** log(e^p − e^q) for p ≥ q. */
function logDiff(p: number, q: number): number {
  return p + Math.log1p(-Math.exp(q - p));
}

/** log(Φ(b) − Φ(a)), the log of the standard normal's mass on [a, b], accurate in the tails. */
export function logGaussMass(a: number, b: number): number {
  if (b <= 0) return logDiff(logNdtr(b), logNdtr(a));
  if (a > 0) return logDiff(logNdtr(-a), logNdtr(-b));
  // both sides of 0: 1 minus the two tails, without cancellation near 1
  return Math.log1p(-ndtr(a) - ndtr(-b));
}

/** The x with log Φ(x) = y, by bisection on [−100, 100] as Optuna does. */
function ndtriExp(y: number): number {
  let lo = -100;
  let hi = 100;
  let m = 0;
  for (let i = 0; i < 100; i++) {
    m = (lo + hi) / 2;
    if (logNdtr(m) < y) lo = m;
    else hi = m;
  }
  return m;
}

/** The q-quantile of the standard normal truncated to [a, b]. */
export function truncnormPpf(q: number, a: number, b: number): number {
  if (a === b) return NaN;
  if (q === 0) return a;
  if (q === 1) return b;
  const mass = logGaussMass(a, b);
  // work in the tail away from the bulk, as SciPy does, so small masses keep their precision
  if (a < 0) return ndtriExp(logAddExp(logNdtr(a), Math.log(q) + mass));
  return -ndtriExp(logAddExp(logNdtr(-b), Math.log1p(-q) + mass));
}

export function logAddExp(p: number, q: number): number {
  const m = Math.max(p, q);
  if (m === -Infinity) return -Infinity;
  return m + Math.log(Math.exp(p - m) + Math.exp(q - m));
}

const logSqrt2Pi = 0.5 * Math.log(2 * Math.PI);

/** log density at x of N(mu, sigma²) truncated to [low, high] (SciPy's, −log σ included). */
export function truncnormLogPdf(x: number, low: number, high: number, mu: number, sigma: number): number {
  if (x < low || x > high) return -Infinity;
  const z = (x - mu) / sigma;
  return -0.5 * z * z - logSqrt2Pi - Math.log(sigma) - logGaussMass((low - mu) / sigma, (high - mu) / sigma);
}
