#!/usr/bin/env python3
"""PyTorch's own modules on an RNN Lab weights file, for test/unit/core/inspect.test.ts.

Usage: python3 inspect_torch.py WEIGHTS.json TEXT_FILE T

Loads the weights into torch.nn.RNN / LSTM / GRU and torch.nn.Linear with the README's mapping,
in float64, runs the text (inputs: every character but the last, one-hot) from a zero state and
prints one JSON object: the module's output h (T x H), the LSTM's final cell state, and the
connectivity of output step T by autograd: |dL_T/dx_k| for k <= T, where L_T is step T's
cross-entropy divided by the number of steps and x is the one-hot input tensor. Exits 3 when
torch is missing, so the test can say why it skips.
"""
import json
import sys

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    print('torch is not installed', file=sys.stderr)
    sys.exit(3)


def main(argv):
    if len(argv) != 4:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    with open(argv[1], encoding='utf-8') as f:
        w = json.load(f)
    with open(argv[2], encoding='utf-8', newline='') as f:
        text = f.read()
    src = int(argv[3])
    V, H, cell = len(w['vocab']), w['hiddenSize'], w['cell']

    def P(name):
        t = w['params'][name]
        return torch.tensor(t['data'], dtype=torch.float64).reshape(t['shape'])

    if cell == 'rnn':
        net = torch.nn.RNN(input_size=V, hidden_size=H, nonlinearity=w['activation'], batch_first=True, dtype=torch.float64)
    elif cell == 'lstm':
        net = torch.nn.LSTM(input_size=V, hidden_size=H, batch_first=True, dtype=torch.float64)
    else:
        net = torch.nn.GRU(input_size=V, hidden_size=H, batch_first=True, dtype=torch.float64)
    out = torch.nn.Linear(H, V, dtype=torch.float64)
    with torch.no_grad():
        net.weight_ih_l0.copy_(P('W_xh').T)
        net.weight_hh_l0.copy_(P('W_hh').T)
        net.bias_ih_l0.copy_(P('b_h'))
        net.bias_hh_l0.zero_()
        if cell == 'gru':
            net.bias_hh_l0[2 * H:] = P('b_hn')
        out.weight.copy_(P('W_hy').T)
        out.bias.copy_(P('b_y'))

    index = {c: i for i, c in enumerate(w['vocab'])}
    ids = torch.tensor([index[c] for c in text])
    T = len(ids) - 1
    x = F.one_hot(ids[:-1], V).to(torch.float64).unsqueeze(0).requires_grad_(True)
    result = net(x)
    h = result[0]
    logits = out(h[0])
    loss_t = F.cross_entropy(logits[src:src + 1], ids[src + 1:src + 2]) / T
    loss_t.backward()
    report = {
        'h': h[0].tolist(),
        'connectivity': x.grad[0, :src + 1].norm(dim=1).tolist(),
        'loss': F.cross_entropy(logits, ids[1:]).item(),
    }
    if cell == 'lstm':
        report['cLast'] = result[1][1][0, 0].tolist()
    print(json.dumps(report))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
