// Seeded random streams. One run seed expands into named streams (split, shuffle, init,
// dropout, ...) so that adding a draw to one stream never shifts another. xoshiro128**
// (Blackman & Vigna, https://prng.di.unimi.it/) with a 4×uint32 state that checkpoints save.

/** FNV-1a hash of a stream name, so each name gets its own seed. */
function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** splitmix32: spreads a 32-bit seed over the state words. */
function splitmix32(x: number): () => number {
  return () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Rng {
  private readonly s: Uint32Array;

  constructor(state: ArrayLike<number>) {
    this.s = Uint32Array.from(state);
    if (this.s.length !== 4 || this.s.every((v) => v === 0)) {
      throw new Error('an Rng state is four uint32 words, not all zero');
    }
  }

  /** The stream `name` of a run seeded with `seed`. */
  static stream(seed: number, name: string): Rng {
    const next = splitmix32((seed >>> 0) ^ hashName(name));
    const s: number[] = [next(), next(), next(), next()];
    if (!s.some((v) => v !== 0)) s[0] = 1;
    return new Rng(s);
  }

  get state(): Uint32Array {
    return this.s.slice();
  }

  /** Continues from a saved state (a checkpoint's). */
  setState(state: ArrayLike<number>): void {
    if (state.length !== 4) throw new Error('an Rng state is four uint32 words');
    this.s.set(Uint32Array.from(state));
  }

  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal by Box–Muller (one value per call, so the state stays four words). */
  normal(): number {
    const u1 = 1 - this.uniform();
    const u2 = this.uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(xs: T[] | Int32Array | Uint32Array): void {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = xs[i];
      xs[i] = xs[j];
      xs[j] = tmp;
    }
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
