#!/usr/bin/env python3
"""Mean cross-entropy of an RNN Lab weights file on a text, computed the way PyTorch would.

Usage: python3 scripts/torch_mapping_check.py WEIGHTS.json TEXT_FILE

WEIGHTS.json is an RNN Lab weights file (the README's mapping is applied here) or an
"Export Weights for PyTorch" file (format "rnn-lab.torch", already in PyTorch's layout).

This is the README's PyTorch snippet without torch (which is not installable everywhere):
it applies the same mapping from the file's row-vector parameters to PyTorch's parameter
names and orientations, then evaluates the equations PyTorch documents for torch.nn.RNN,
torch.nn.LSTM and torch.nn.GRU (column-vector form, W @ x), followed by torch.nn.Linear and
the mean of torch.nn.functional.cross_entropy. test/unit/torch-mapping.test.ts compares the
printed number with RNN Lab's own loss for the same weights.
"""
import json
import math
import sys

GATES = {'rnn': 1, 'lstm': 4, 'gru': 3}


def transpose(flat, rows, cols):
    """The cols x rows transpose of a rows x cols row-major list, as a list of rows."""
    return [[flat[r * cols + c] for r in range(rows)] for c in range(cols)]


def torch_parameters(w):
    """The README's mapping: file name (row-vector layout) -> PyTorch name (column-vector layout)."""
    V, H, cell = len(w['vocab']), w['hiddenSize'], w['cell']
    G = GATES[cell] * H
    p = {name: t['data'] for name, t in w['params'].items()}
    bias_hh = [0.0] * G
    if cell == 'gru':
        # PyTorch's b_hn sits inside r * (W_hn h + b_hn); RNN Lab keeps it apart as b_hn.
        bias_hh[2 * H:] = p['b_hn']
    return {
        'weight_ih_l0': transpose(p['W_xh'], V, G),  # G x V
        'weight_hh_l0': transpose(p['W_hh'], H, G),  # G x H
        'bias_ih_l0': list(p['b_h']),
        'bias_hh_l0': bias_hh,
        'linear.weight': transpose(p['W_hy'], H, V),  # V x H
        'linear.bias': list(p['b_y']),
    }


def rows_of(t):
    """A row-major {shape: [rows, cols], data} tensor as a list of rows."""
    rows, cols = t['shape']
    return [t['data'][r * cols:(r + 1) * cols] for r in range(rows)]


def model_of(w):
    """(cell, activation, H, vocab, PyTorch-layout parameters) of either file format."""
    if w.get('format') == 'rnn-lab.torch':
        tp = {
            'weight_ih_l0': rows_of(w['rnn']['weight_ih_l0']),
            'weight_hh_l0': rows_of(w['rnn']['weight_hh_l0']),
            'bias_ih_l0': list(w['rnn']['bias_ih_l0']['data']),
            'bias_hh_l0': list(w['rnn']['bias_hh_l0']['data']),
            'linear.weight': rows_of(w['linear']['weight']),
            'linear.bias': list(w['linear']['bias']['data']),
        }
        return w['module'].lower(), w.get('nonlinearity', 'tanh'), w['hidden_size'], w['vocab'], tp
    return w['cell'], w['activation'], w['hiddenSize'], w['vocab'], torch_parameters(w)


def matvec(m, x):
    return [math.fsum(a * b for a, b in zip(row, x)) for row in m]


def sigmoid(x):
    # Two branches so math.exp never overflows; both are 1 / (1 + e^-x).
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def relu(x):
    return x if x > 0 else 0.0


def step(cell, activation, tp, H, x_index, state):
    """One time step of PyTorch's documented equations; x is one-hot, so W_ih x is column x_index."""
    wi = [row[x_index] for row in tp['weight_ih_l0']]
    gi = [a + b for a, b in zip(wi, tp['bias_ih_l0'])]
    h = state[0]
    gh = [a + b for a, b in zip(matvec(tp['weight_hh_l0'], h), tp['bias_hh_l0'])]
    if cell == 'rnn':
        # h' = act(W_ih x + b_ih + W_hh h + b_hh)
        f = math.tanh if activation == 'tanh' else relu
        return (tuple(f(a + b) for a, b in zip(gi, gh)),)
    if cell == 'lstm':
        # [i f g o] = W_ih x + b_ih + W_hh h + b_hh;  c' = f*c + i*g;  h' = o*tanh(c')
        z = [a + b for a, b in zip(gi, gh)]
        c = state[1]
        c2 = []
        h2 = []
        for j in range(H):
            i, f, g, o = sigmoid(z[j]), sigmoid(z[H + j]), math.tanh(z[2 * H + j]), sigmoid(z[3 * H + j])
            cj = f * c[j] + i * g
            c2.append(cj)
            h2.append(o * math.tanh(cj))
        return (tuple(h2), tuple(c2))
    # GRU: r = s(W_ir x + b_ir + W_hr h + b_hr), z likewise,
    #      n = tanh(W_in x + b_in + r*(W_hn h + b_hn)),  h' = (1-z)*n + z*h
    h2 = []
    for j in range(H):
        r = sigmoid(gi[j] + gh[j])
        zz = sigmoid(gi[H + j] + gh[H + j])
        n = math.tanh(gi[2 * H + j] + r * gh[2 * H + j])
        h2.append((1 - zz) * n + zz * h[j])
    return (tuple(h2),)


def mean_cross_entropy(w, text):
    cell, activation, H, vocab, tp = model_of(w)
    index = {c: i for i, c in enumerate(vocab)}
    ids = [index[c] for c in text]  # a Python str iterates code points, like RNN Lab's vocabulary
    state = (tuple([0.0] * H), tuple([0.0] * H)) if cell == 'lstm' else (tuple([0.0] * H),)
    losses = []
    for t in range(len(ids) - 1):
        state = step(cell, activation, tp, H, ids[t], state)
        logits = [a + b for a, b in zip(matvec(tp['linear.weight'], state[0]), tp['linear.bias'])]
        m = max(logits)
        log_sum = m + math.log(math.fsum(math.exp(v - m) for v in logits))
        losses.append(log_sum - logits[ids[t + 1]])
    return math.fsum(losses) / len(losses)


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    with open(argv[1], encoding='utf-8') as f:
        w = json.load(f)
    with open(argv[2], encoding='utf-8', newline='') as f:
        text = f.read()
    print(repr(mean_cross_entropy(w, text)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
