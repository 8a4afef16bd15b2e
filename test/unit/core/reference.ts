// An independent, deliberately plain implementation of the seed's RNN on number[][] matrices,
// written straight from the equations. The core's optimised code is checked against it.

export type Mat = number[][];

export interface RefParams {
  W_xh: Mat; // V×H
  W_hh: Mat; // H×H
  W_hy: Mat; // H×V
  b_h: number[];
  b_y: number[];
}

export type RefActivation = 'tanh' | 'relu';

function act(a: number, f: RefActivation): number {
  return f === 'tanh' ? Math.tanh(a) : Math.max(0, a);
}

/** Hidden states h_0..h_{T-1} starting from h0. */
export function refHidden(p: RefParams, ids: number[], h0: number[], f: RefActivation): number[][] {
  const H = p.b_h.length;
  const hs: number[][] = [];
  let h = h0;
  for (const c of ids) {
    const next: number[] = [];
    for (let j = 0; j < H; j++) {
      let a = p.W_xh[c][j] + p.b_h[j];
      for (let i = 0; i < H; i++) a += h[i] * p.W_hh[i][j];
      next.push(act(a, f));
    }
    hs.push(next);
    h = next;
  }
  return hs;
}

/** Cross-entropy of one output, computed the textbook way (softmax, then −log). */
export function refCrossEntropy(p: RefParams, h: number[], target: number): number {
  const V = p.b_y.length;
  const y: number[] = [];
  for (let v = 0; v < V; v++) {
    let s = p.b_y[v];
    for (let j = 0; j < h.length; j++) s += h[j] * p.W_hy[j][v];
    y.push(s);
  }
  const m = Math.max(...y);
  const z = y.reduce((acc, yv) => acc + Math.exp(yv - m), 0);
  return -(y[target] - m - Math.log(z));
}

/** Mean cross-entropy over the sequence: the loss the core reports and differentiates. */
export function refLoss(p: RefParams, ids: number[], targets: number[], h0: number[], f: RefActivation): number {
  const hs = refHidden(p, ids, h0, f);
  let s = 0;
  for (let t = 0; t < ids.length; t++) s += refCrossEntropy(p, hs[t], targets[t]);
  return s / ids.length;
}

/**
 * The loss whose exact gradient truncated BPTT computes: output t sees the parameters only in
 * its last K steps; the state K steps back is held at its value under `frozen`.
 */
export function refTruncatedSurrogate(p: RefParams, frozen: RefParams, ids: number[], targets: number[], K: number, f: RefActivation): number {
  const H = p.b_h.length;
  const fixed = refHidden(frozen, ids, new Array(H).fill(0), f);
  let s = 0;
  for (let t = 0; t < ids.length; t++) {
    const start = Math.max(0, t - K + 1);
    const h0 = start === 0 ? new Array(H).fill(0) : fixed[start - 1];
    const hs = refHidden(p, ids.slice(start, t + 1), h0, f);
    s += refCrossEntropy(p, hs[hs.length - 1], targets[t]);
  }
  return s / ids.length;
}

export const PARAM_NAMES = ['W_xh', 'W_hh', 'W_hy', 'b_h', 'b_y'] as const;
export type ParamName = (typeof PARAM_NAMES)[number];

/** Reads element `i` (row-major) of a reference parameter. */
export function getAt(p: RefParams, name: ParamName, i: number): number {
  const x = p[name];
  if (typeof x[0] === 'number') return (x as number[])[i];
  const m = x as Mat;
  const cols = m[0].length;
  return m[Math.floor(i / cols)][i % cols];
}

export function setAt(p: RefParams, name: ParamName, i: number, value: number): void {
  const x = p[name];
  if (typeof x[0] === 'number') {
    (x as number[])[i] = value;
    return;
  }
  const m = x as Mat;
  const cols = m[0].length;
  m[Math.floor(i / cols)][i % cols] = value;
}

export function toMat(data: ArrayLike<number>, rows: number, cols: number): Mat {
  const m: Mat = [];
  for (let r = 0; r < rows; r++) m.push(Array.from({ length: cols }, (_, c) => data[r * cols + c]));
  return m;
}

export function cloneParams(p: RefParams): RefParams {
  return {
    W_xh: p.W_xh.map((r) => [...r]),
    W_hh: p.W_hh.map((r) => [...r]),
    W_hy: p.W_hy.map((r) => [...r]),
    b_h: [...p.b_h],
    b_y: [...p.b_y],
  };
}

/** Central-difference gradient of `loss` with respect to every element of every parameter. */
export function numericGradient(p: RefParams, loss: (q: RefParams) => number, eps = 1e-5): Record<ParamName, number[]> {
  const out = {} as Record<ParamName, number[]>;
  for (const name of PARAM_NAMES) {
    const x = p[name];
    const n = typeof x[0] === 'number' ? x.length : (x as Mat).length * (x as Mat)[0].length;
    const g: number[] = [];
    for (let i = 0; i < n; i++) {
      const orig = getAt(p, name, i);
      setAt(p, name, i, orig + eps);
      const up = loss(p);
      setAt(p, name, i, orig - eps);
      const down = loss(p);
      setAt(p, name, i, orig);
      g.push((up - down) / (2 * eps));
    }
    out[name] = g;
  }
  return out;
}

/** Largest singular value by one-sided Jacobi SVD, an algorithm unrelated to power iteration. */
export function jacobiSigmaMax(a: Mat): number {
  const m = a.map((r) => [...r]);
  const n = m[0].length;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (const row of m) {
          alpha += row[p] * row[p];
          beta += row[q] * row[q];
          gamma += row[p] * row[q];
        }
        if (Math.abs(gamma) < 1e-300) continue;
        off = Math.max(off, Math.abs(gamma) / Math.sqrt(alpha * beta));
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (const row of m) {
          const x = row[p];
          const y = row[q];
          row[p] = c * x - s * y;
          row[q] = s * x + c * y;
        }
      }
    }
    if (off < 1e-15) break;
  }
  let best = 0;
  for (let j = 0; j < n; j++) best = Math.max(best, Math.sqrt(m.reduce((acc, row) => acc + row[j] * row[j], 0)));
  return best;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** x·W_xh + h·W_hh + b_h for a one-hot x = id, any block width G (W_xh V×G, W_hh H×G). */
function preActivation(W_xh: Mat, W_hh: Mat, b_h: number[], id: number, h: number[]): number[] {
  const out: number[] = [];
  for (let k = 0; k < b_h.length; k++) {
    let a = W_xh[id][k] + b_h[k];
    for (let i = 0; i < h.length; i++) a += h[i] * W_hh[i][k];
    out.push(a);
  }
  return out;
}

/**
 * LSTM forward from its equations (blocks [i f g o]): c_t = f ⊙ c_{t−1} + i ⊙ g,
 * h_t = o ⊙ tanh(c_t), from zero state. Returns h_t and the forget gate f_t of every step.
 */
export function refLstmForward(W_xh: Mat, W_hh: Mat, b_h: number[], ids: number[]): { hs: number[][]; forget: number[][] } {
  const H = W_hh.length;
  let h = new Array<number>(H).fill(0);
  let c = new Array<number>(H).fill(0);
  const hs: number[][] = [];
  const forget: number[][] = [];
  for (const id of ids) {
    const z = preActivation(W_xh, W_hh, b_h, id, h);
    const i = z.slice(0, H).map(sigmoid);
    const f = z.slice(H, 2 * H).map(sigmoid);
    const g = z.slice(2 * H, 3 * H).map(Math.tanh);
    const o = z.slice(3 * H, 4 * H).map(sigmoid);
    c = c.map((cj, j) => f[j] * cj + i[j] * g[j]);
    h = c.map((cj, j) => o[j] * Math.tanh(cj));
    hs.push(h);
    forget.push(f);
  }
  return { hs, forget };
}

/**
 * GRU forward in PyTorch's formulation (blocks [r z n], b_hn inside r ⊙ (…)), from zero state:
 * h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}. Returns h_t and the update gate z_t of every step.
 */
export function refGruForward(W_xh: Mat, W_hh: Mat, b_h: number[], b_hn: number[], ids: number[]): { hs: number[][]; update: number[][] } {
  const H = W_hh.length;
  let h = new Array<number>(H).fill(0);
  const hs: number[][] = [];
  const update: number[][] = [];
  for (const id of ids) {
    const r: number[] = [];
    const z: number[] = [];
    const n: number[] = [];
    for (let j = 0; j < H; j++) {
      let ar = W_xh[id][j] + b_h[j];
      let az = W_xh[id][H + j] + b_h[H + j];
      let hn = b_hn[j];
      for (let i = 0; i < H; i++) {
        ar += h[i] * W_hh[i][j];
        az += h[i] * W_hh[i][H + j];
        hn += h[i] * W_hh[i][2 * H + j];
      }
      r.push(sigmoid(ar));
      z.push(sigmoid(az));
      n.push(Math.tanh(W_xh[id][2 * H + j] + b_h[2 * H + j] + r[j] * hn));
    }
    h = h.map((hj, j) => (1 - z[j]) * n[j] + z[j] * hj);
    hs.push(h);
    update.push(z);
  }
  return { hs, update };
}
