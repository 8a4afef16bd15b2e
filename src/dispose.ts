// Lifetime helpers. Every resource the extension creates is owned by exactly one store, so
// closing a panel or deactivating releases it without anyone having to remember the list.
import { t } from './core/l10n';

export interface IDisposable {
  dispose(): void;
}

export function toDisposable(fn: () => void): IDisposable {
  let done = false;
  return {
    dispose() {
      if (done) return;
      done = true;
      fn();
    },
  };
}

/** Disposes every item it holds, once; items added after disposal are disposed immediately so they cannot leak. */
export class DisposableStore implements IDisposable {
  private readonly items = new Set<IDisposable>();
  private disposed = false;

  get isDisposed(): boolean {
    return this.disposed;
  }

  add<T extends IDisposable>(item: T): T {
    if (this.disposed) {
      item.dispose();
    } else {
      this.items.add(item);
    }
    return item;
  }

  /** Disposes one item now and forgets it (e.g. a run's worker when the run restarts). */
  delete(item: IDisposable): void {
    if (this.items.delete(item)) item.dispose();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const errors: unknown[] = [];
    // Reverse order: later resources may depend on earlier ones.
    for (const item of [...this.items].reverse()) {
      try {
        item.dispose();
      } catch (err) {
        errors.push(err);
      }
    }
    this.items.clear();
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, t('several disposables failed'));
  }
}

/** Base class for objects that own resources: register them with `_register` and they go with the owner. */
export abstract class Disposable implements IDisposable {
  protected readonly _store = new DisposableStore();

  protected get isDisposed(): boolean {
    return this._store.isDisposed;
  }

  protected _register<T extends IDisposable>(item: T): T {
    return this._store.add(item);
  }

  dispose(): void {
    this._store.dispose();
  }
}

/**
 * Holds at most one disposable: setting a new value disposes the old one (a panel's run, which
 * a restart replaces). Disposing the holder disposes the value.
 */
export class DisposableValue<T extends IDisposable> implements IDisposable {
  private current: T | undefined;
  private disposed = false;

  get value(): T | undefined {
    return this.current;
  }

  set value(next: T | undefined) {
    if (this.disposed) {
      next?.dispose();
      return;
    }
    const old = this.current;
    this.current = next;
    if (old && old !== next) old.dispose();
  }

  dispose(): void {
    this.disposed = true;
    const old = this.current;
    this.current = undefined;
    old?.dispose();
  }
}
