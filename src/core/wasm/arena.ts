// Where a Sequence's buffers live and which kernels run on them. With WebAssembly available
// (Node, workers and browsers all have it) the buffers are views into one WebAssembly memory and
// the hot kernels are the SIMD ones compiled from ./assembly/kernels.ts; otherwise plain
// Float64Arrays and the JS kernels. The two give the same results up to rounding, not bit for
// bit, so every supported runtime takes the WebAssembly path.

import wasmBytes from './kernels.wasm';
import * as js from '../kernels';

export interface Kernels {
  matVec(out: Float64Array, outOff: number, M: Float64Array, rows: number, cols: number, x: Float64Array, xOff: number, init: Float64Array | null, initOff: number): void;
  addAtB(dW: Float64Array, A: Float64Array, aOff: number, m: number, B: Float64Array, bOff: number, n: number, T: number): void;
}

interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmExports {
  matVec(out: number, M: number, rows: number, cols: number, x: number, init: number, hasInit: number): void;
  addAtB(dW: number, A: number, m: number, B: number, n: number, T: number): void;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
}

const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
let compiled: object | null | undefined;

function kernelModule(): object | null {
  if (compiled === undefined) {
    try {
      compiled = wasm ? new wasm.Module(wasmBytes) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

const PAGE = 65536;

export class Arena {
  readonly kernels: Kernels;
  readonly usesWasm: boolean;
  private readonly memory: WasmMemory | null;
  private next = 0;

  /** `capacity`: an upper bound on the doubles this arena will hand out. */
  constructor(private readonly capacity: number) {
    const module = kernelModule();
    if (!module || !wasm) {
      this.memory = null;
      this.usesWasm = false;
      this.kernels = js;
      return;
    }
    // Room for the capacity plus 16-byte alignment padding of each buffer.
    const bytes = capacity * 8 + 4096 * 16;
    this.memory = new wasm.Memory({ initial: Math.ceil(bytes / PAGE) });
    const ex = new wasm.Instance(module, { env: { memory: this.memory } }).exports as WasmExports;
    this.usesWasm = true;
    const at = (a: Float64Array, off: number) => a.byteOffset + off * 8;
    this.kernels = {
      matVec: (out, outOff, M, rows, cols, x, xOff, init, initOff) => ex.matVec(at(out, outOff), M.byteOffset, rows, cols, at(x, xOff), init ? at(init, initOff) : 0, init ? 1 : 0),
      addAtB: (dW, A, aOff, m, B, bOff, n, T) => ex.addAtB(dW.byteOffset, at(A, aOff), m, at(B, bOff), n, T),
    };
  }

  /** A zeroed buffer of n doubles. Views stay valid: the memory never grows. */
  f64(n: number): Float64Array {
    if (!this.memory) return new Float64Array(n);
    const start = this.next;
    this.next = start + n + ((2 - ((start + n) % 2)) % 2); // keep every buffer 16-byte aligned
    if (this.next * 8 > this.memory.buffer.byteLength) throw new Error(`arena overflow: ${this.next} doubles > capacity ${this.capacity}`);
    return new Float64Array(this.memory.buffer, start * 8, n);
  }
}
