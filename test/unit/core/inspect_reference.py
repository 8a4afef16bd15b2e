#!/usr/bin/env python3
"""Plain-Python forward and backward of an RNN Lab weights file, for test/unit/core/inspect.test.ts.

Usage: python3 inspect_reference.py WEIGHTS.json TEXT_FILE T

Written from the equations in RNN Lab's row-vector notation (a = x.W_xh + h.W_hh + b_h) with
lists and the math module only, no numpy. Prints one JSON object: h, c (LSTM), the gates
(LSTM i f g o, GRU r z n), the probabilities p of every step, the mean cross-entropy, and the
connectivity of output step T: |dL_T/dx_k| for k <= T, where L_T is step T's cross-entropy
divided by the number of steps and x_k is the input vector treated as continuous.
"""
import json
import math
import sys


def sigmoid(x):
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def matrix(t):
    rows, cols = t['shape']
    return [t['data'][r * cols:(r + 1) * cols] for r in range(rows)]


def row_times(x, m):
    """x (a list) times the matrix m (rows = len(x)): the row-vector product."""
    cols = len(m[0])
    return [sum(x[i] * m[i][j] for i in range(len(x))) for j in range(cols)]


def times_transpose(d, m):
    """d . m^T for a matrix m with len(d) columns: one number per row of m."""
    return [sum(a * b for a, b in zip(row, d)) for row in m]


def forward(w, ids):
    cell, act, H = w['cell'], w['activation'], w['hiddenSize']
    p = w['params']
    Wxh, Whh, Why = matrix(p['W_xh']), matrix(p['W_hh']), matrix(p['W_hy'])
    bh, by = p['b_h']['data'], p['b_y']['data']
    bhn = p['b_hn']['data'] if cell == 'gru' else None
    h = [0.0] * H
    c = [0.0] * H
    steps = []
    for x in ids:
        rec = row_times(h, Whh)
        s = {'h_prev': h, 'c_prev': c}
        if cell == 'rnn':
            a = [Wxh[x][j] + bh[j] + rec[j] for j in range(H)]
            h = [math.tanh(v) for v in a] if act == 'tanh' else [max(0.0, v) for v in a]
        elif cell == 'lstm':
            z = [Wxh[x][q] + bh[q] + rec[q] for q in range(4 * H)]
            i = [sigmoid(v) for v in z[:H]]
            f = [sigmoid(v) for v in z[H:2 * H]]
            g = [math.tanh(v) for v in z[2 * H:3 * H]]
            o = [sigmoid(v) for v in z[3 * H:]]
            c = [f[j] * c[j] + i[j] * g[j] for j in range(H)]
            h = [o[j] * math.tanh(c[j]) for j in range(H)]
            s.update(i=i, f=f, g=g, o=o, c=c)
        else:
            r = [sigmoid(Wxh[x][j] + bh[j] + rec[j]) for j in range(H)]
            zz = [sigmoid(Wxh[x][H + j] + bh[H + j] + rec[H + j]) for j in range(H)]
            hn = [rec[2 * H + j] + bhn[j] for j in range(H)]
            n = [math.tanh(Wxh[x][2 * H + j] + bh[2 * H + j] + r[j] * hn[j]) for j in range(H)]
            h = [(1 - zz[j]) * n[j] + zz[j] * h[j] for j in range(H)]
            s.update(r=r, z=zz, n=n, hn=hn)
        y = [a + b for a, b in zip(row_times(h, Why), by)]
        m = max(y)
        e = [math.exp(v - m) for v in y]
        total = sum(e)
        s.update(h=h, y=y, p=[v / total for v in e], lse=m + math.log(total))
        steps.append(s)
    return steps


def connectivity(w, ids, targets, steps, t):
    """|dL_t/dx_k| for k = 0..t by reverse-mode differentiation, step by step."""
    cell, act, H = w['cell'], w['activation'], w['hiddenSize']
    p = w['params']
    Wxh, Whh, Why = matrix(p['W_xh']), matrix(p['W_hh']), matrix(p['W_hy'])
    T = len(ids)
    dy = [v / T for v in steps[t]['p']]
    dy[targets[t]] -= 1.0 / T
    dh = times_transpose(dy, Why)
    dc = [0.0] * H
    out = [0.0] * (t + 1)
    for k in range(t, -1, -1):
        s = steps[k]
        if cell == 'rnn':
            if act == 'tanh':
                da = [dh[j] * (1 - s['h'][j] ** 2) for j in range(H)]
            else:
                da = [dh[j] if s['h'][j] > 0 else 0.0 for j in range(H)]
            rec = da
            direct = [0.0] * H
        elif cell == 'lstm':
            tc = [math.tanh(v) for v in s['c']]
            dcs = [dc[j] + dh[j] * s['o'][j] * (1 - tc[j] ** 2) for j in range(H)]
            da = ([dcs[j] * s['g'][j] * s['i'][j] * (1 - s['i'][j]) for j in range(H)]
                  + [dcs[j] * s['c_prev'][j] * s['f'][j] * (1 - s['f'][j]) for j in range(H)]
                  + [dcs[j] * s['i'][j] * (1 - s['g'][j] ** 2) for j in range(H)]
                  + [dh[j] * tc[j] * s['o'][j] * (1 - s['o'][j]) for j in range(H)])
            dc = [dcs[j] * s['f'][j] for j in range(H)]
            rec = da
            direct = [0.0] * H
        else:
            r, zz, n, hn = s['r'], s['z'], s['n'], s['hn']
            dan = [dh[j] * (1 - zz[j]) * (1 - n[j] ** 2) for j in range(H)]
            daz = [dh[j] * (s['h_prev'][j] - n[j]) * zz[j] * (1 - zz[j]) for j in range(H)]
            dar = [dan[j] * hn[j] * r[j] * (1 - r[j]) for j in range(H)]
            da = dar + daz + dan
            rec = dar + daz + [dan[j] * r[j] for j in range(H)]
            direct = [dh[j] * zz[j] for j in range(H)]
        dx = times_transpose(da, Wxh)
        out[k] = math.sqrt(sum(v * v for v in dx))
        dh = [a + b for a, b in zip(times_transpose(rec, Whh), direct)]
    return out


def main(argv):
    if len(argv) != 4:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    with open(argv[1], encoding='utf-8') as f:
        w = json.load(f)
    with open(argv[2], encoding='utf-8', newline='') as f:
        text = f.read()
    index = {ch: i for i, ch in enumerate(w['vocab'])}
    all_ids = [index[ch] for ch in text]
    ids, targets = all_ids[:-1], all_ids[1:]
    steps = forward(w, ids)
    names = {'rnn': [], 'lstm': ['i', 'f', 'g', 'o'], 'gru': ['r', 'z', 'n']}[w['cell']]
    loss = sum(s['lse'] - s['y'][tg] for s, tg in zip(steps, targets)) / len(ids)
    out = {
        'h': [s['h'] for s in steps],
        'gates': {g: [s[g] for s in steps] for g in names},
        'p': [s['p'] for s in steps],
        'loss': loss,
        'connectivity': connectivity(w, ids, targets, steps, int(argv[3])),
    }
    if w['cell'] == 'lstm':
        out['c'] = [s['c'] for s in steps]
    print(json.dumps(out))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
