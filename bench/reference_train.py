#!/usr/bin/env python3
"""The training that `npm run bench` times, written a second time outside RNN Lab.

Usage: python3 bench/reference_train.py numpy|torch WEIGHTS.json TEXT_FILE WINDOW EPOCHS

WEIGHTS.json holds the initial weights of an RNN Lab run (Trainer.toWeights() before its first
epoch), so both sides start from the same numbers. Prints one JSON line: the mean loss of every
epoch and the milliseconds the training loop took, wall clock and CPU time of this process
(reading the files and importing the library are not timed).

numpy: the plain RNN (tanh) in window mode as RNN Lab trains it, vectorised the way one would
write it by hand: one matrix product for the output layer of a whole window, one for each of
dW_hh, dW_hy, and every per-epoch diagnostic RNN Lab reports (per-step ‖∂L/∂h_t‖, the last
output's ‖∂L_T/∂h_k‖ chain carried beside the main one, the per-step f′ mean and max, per-
parameter gradient norms, σ_max(W_hh) at each epoch start), then Adam.

torch: torch.nn.RNN / LSTM / GRU in float64 on one thread with torch.optim.Adam, the usual
training loop (forward, cross_entropy, backward, step) and no diagnostics: less work than the
other two do.
"""
import json
import sys
import time

import numpy as np


def load(weights_path, text_path):
    with open(weights_path, encoding='utf-8') as f:
        w = json.load(f)
    with open(text_path, encoding='utf-8') as f:
        text = f.read()
    index = {c: i for i, c in enumerate(w['vocab'])}
    ids = np.array([index[c] for c in text], dtype=np.int64)
    params = {name: np.array(t['data'], dtype=np.float64).reshape(t['shape']) for name, t in w['params'].items()}
    return w, ids, params


def train_numpy(w, ids, p, K, epochs, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, clip=0.0):
    Wxh, Whh, Why, bh, by = p['W_xh'], p['W_hh'], p['W_hy'], p['b_h'], p['b_y']
    params = [Wxh, Whh, Why, bh, by]
    ms = [np.zeros_like(a) for a in params]
    vs = [np.zeros_like(a) for a in params]
    H = Whh.shape[0]
    N = len(ids) - 1
    inputs, targets = ids[:N], ids[1:]
    S = min(K, N)
    step = 0
    losses = []
    for _ in range(epochs):
        sigma = np.linalg.norm(Whh, 2)
        h = np.zeros(H)
        loss_sum = 0.0
        correct = 0
        grad_sum = np.zeros(S)
        last_sum = np.zeros(S)
        slope_sum = np.zeros(S)
        slope_max = np.zeros(S)
        counts = np.zeros(S)
        param_norm_sum = np.zeros(len(params))
        for start in range(0, N, K):
            n = min(K, N - start)
            x = inputs[start:start + n]
            y = targets[start:start + n]
            rows = np.arange(n)
            hs = np.empty((n + 1, H))
            hs[0] = h
            xw = Wxh[x] + bh
            for t in range(n):
                np.tanh(xw[t] + hs[t] @ Whh, out=hs[t + 1])
            h = hs[n].copy()
            logits = hs[1:] @ Why + by
            logits -= logits.max(axis=1, keepdims=True)
            e = np.exp(logits)
            z = e.sum(axis=1)
            loss_sum += float((np.log(z) - logits[rows, y]).sum())
            correct += int((logits.argmax(axis=1) == y).sum())
            slope = 1.0 - hs[1:] * hs[1:]
            slope_sum[:n] += slope.mean(axis=1)
            slope_max[:n] += slope.max(axis=1)
            dy = e / z[:, None]
            dy[rows, y] -= 1.0
            dy *= 1.0 / n
            dWhy = hs[1:].T @ dy
            dby = dy.sum(axis=0)
            dh_out = dy @ Why.T
            # Both chains (the total gradient, and the last output's alone) step back through
            # the same W_hh: one 2×H product per step reads it once for the two.
            da = np.empty((n, H))
            pair = np.zeros((2, H))
            pair[1] = dh_out[n - 1]
            WhhT = Whh.T
            for t in range(n - 1, -1, -1):
                pair[0] += dh_out[t]
                grad_sum[t] += np.sqrt(pair[0] @ pair[0])
                last_sum[t] += np.sqrt(pair[1] @ pair[1])
                pair *= slope[t]
                da[t] = pair[0]
                if t > 0:
                    pair = pair @ WhhT
            dWhh = hs[:-1].T @ da
            dbh = da.sum(axis=0)
            dWxh = np.zeros_like(Wxh)
            np.add.at(dWxh, x, da)
            grads = [dWxh, dWhh, dWhy, dbh, dby]
            total = 0.0
            for i, g in enumerate(grads):
                sq = float(np.vdot(g, g))
                param_norm_sum[i] += np.sqrt(sq)
                total += sq
            gnorm = np.sqrt(total)
            counts[:n] += 1
            if clip > 0 and gnorm > clip:
                for g in grads:
                    g *= clip / gnorm
            step += 1
            inv1 = 1.0 / (1.0 - beta1 ** step)
            inv2 = 1.0 / (1.0 - beta2 ** step)
            for a, g, m, v in zip(params, grads, ms, vs):
                m *= beta1
                m += (1 - beta1) * g
                v *= beta2
                v += (1 - beta2) * g * g
                a -= (lr * (m * inv1)) / (np.sqrt(v * inv2) + eps)
        losses.append(loss_sum / N)
        # The epoch's report, formed as RNN Lab forms it (kept so the work is not skipped).
        _ = (grad_sum / counts, last_sum / counts, slope_sum / counts, sigma * slope_max[1:] / counts[1:], param_norm_sum, correct / N)
    return losses


def train_torch(w, ids, p, K, epochs):
    import torch

    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float64)
    cell, H, V = w['cell'], w['hiddenSize'], len(w['vocab'])
    G = {'rnn': 1, 'lstm': 4, 'gru': 3}[cell] * H
    module = {'rnn': torch.nn.RNN, 'lstm': torch.nn.LSTM, 'gru': torch.nn.GRU}[cell]
    kwargs = {'nonlinearity': w['activation']} if cell == 'rnn' else {}
    rnn = module(V, H, batch_first=True, **kwargs)
    linear = torch.nn.Linear(H, V)
    bias_hh = np.zeros(G)
    if cell == 'gru':
        bias_hh[2 * H:] = p['b_hn']
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(torch.from_numpy(p['W_xh'].T.copy()))
        rnn.weight_hh_l0.copy_(torch.from_numpy(p['W_hh'].T.copy()))
        rnn.bias_ih_l0.copy_(torch.from_numpy(p['b_h']))
        rnn.bias_hh_l0.copy_(torch.from_numpy(bias_hh))
        linear.weight.copy_(torch.from_numpy(p['W_hy'].T.copy()))
        linear.bias.copy_(torch.from_numpy(p['b_y']))
    # PyTorch keeps a second bias, bias_hh, that RNN Lab does not have (except the GRU's b_hn):
    # left trainable, Adam would move it as far as bias_ih and the two runs would part ways.
    # Its gradient is masked to the part RNN Lab trains, so both optimise the same model.
    mask = torch.zeros(G)
    if cell == 'gru':
        mask[2 * H:] = 1
    rnn.bias_hh_l0.register_hook(lambda g: g * mask)
    opt = torch.optim.Adam(list(rnn.parameters()) + list(linear.parameters()), lr=1e-3)
    x_all = torch.nn.functional.one_hot(torch.from_numpy(ids[:-1]), V).to(torch.float64)
    y_all = torch.from_numpy(ids[1:])
    N = len(ids) - 1
    losses = []
    for _ in range(epochs):
        state = None
        loss_sum = 0.0
        for start in range(0, N, K):
            n = min(K, N - start)
            out, state = rnn(x_all[start:start + n].unsqueeze(0), state)
            state = tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()
            loss = torch.nn.functional.cross_entropy(linear(out[0]), y_all[start:start + n])
            opt.zero_grad()
            loss.backward()
            opt.step()
            loss_sum += float(loss) * n
        losses.append(loss_sum / N)
    return losses


def main():
    impl, weights_path, text_path, K, epochs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    w, ids, p = load(weights_path, text_path)
    if impl == 'numpy':
        if w['cell'] != 'rnn' or w['activation'] != 'tanh':
            raise SystemExit('the numpy trainer covers the tanh RNN only')
        run = lambda: train_numpy(w, ids, p, K, epochs)
    else:
        run = lambda: train_torch(w, ids, p, K, epochs)
    t0 = time.perf_counter()
    c0 = time.process_time()
    losses = run()
    cpu_ms = (time.process_time() - c0) * 1000
    ms = (time.perf_counter() - t0) * 1000
    print(json.dumps({'impl': impl, 'losses': losses, 'ms': ms, 'cpuMs': cpu_ms}))


if __name__ == '__main__':
    main()
