// The only module that knows about @vscode/webview-ui-toolkit. Everything else builds controls
// through these factories and talks to them through the small interfaces below, so replacing
// the (archived) toolkit with another component library is a change to this file alone.
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDivider,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';

let registered = false;

/** Registers just the components the panel uses, so the bundle leaves the rest out. */
export function registerToolkit(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeCheckbox(), vsCodeDivider(), vsCodeDropdown(), vsCodeOption(), vsCodeTextField());
}

export interface Button {
  readonly el: HTMLElement;
  disabled: boolean;
}

export interface Toggle {
  readonly el: HTMLElement;
  checked: boolean;
}

export interface TextInput {
  readonly el: HTMLElement;
  value: string;
  disabled: boolean;
  /** Marks the field invalid with a message read by screen readers, or clears it. */
  setError(message: string | undefined): void;
  focus(): void;
}

export interface Select<T extends string> {
  readonly el: HTMLElement;
  value: T;
  disabled: boolean;
  focus(): void;
}

type ToolkitElement = HTMLElement & { disabled: boolean; value: string; checked: boolean };

function create(tag: string, id?: string): ToolkitElement {
  const el = document.createElement(tag) as ToolkitElement;
  if (id) el.id = id;
  return el;
}

export function button(label: string, o: { id?: string; ariaLabel?: string; title?: string; secondary?: boolean; onClick: () => void }): Button {
  const el = create('vscode-button', o.id);
  el.textContent = label;
  if (o.secondary) el.setAttribute('appearance', 'secondary');
  el.setAttribute('aria-label', o.ariaLabel ?? label);
  if (o.title) el.title = o.title;
  // The toolkit button swallows clicks itself while disabled, so no extra guard is needed here.
  el.addEventListener('click', () => o.onClick());
  return {
    el,
    get disabled() {
      return el.hasAttribute('disabled');
    },
    set disabled(v: boolean) {
      el.toggleAttribute('disabled', v);
      el.disabled = v;
    },
  };
}

export function checkbox(label: string, o: { id?: string; checked?: boolean; onChange: (checked: boolean) => void }): Toggle {
  const el = create('vscode-checkbox', o.id);
  el.textContent = label;
  el.setAttribute('aria-label', label);
  if (o.checked) el.setAttribute('checked', '');
  el.addEventListener('change', () => o.onChange(el.checked));
  return {
    el,
    get checked() {
      return el.checked;
    },
    set checked(v: boolean) {
      el.checked = v;
    },
  };
}

let errorIds = 0;

export function textField(label: string, o: { id: string; value?: string; size?: number; inputMode?: string; hint?: string }): TextInput {
  const wrap = document.createElement('div');
  wrap.className = 'field';
  const el = create('vscode-text-field', o.id);
  el.textContent = label;
  el.setAttribute('aria-label', label);
  if (o.size) el.setAttribute('size', String(o.size));
  if (o.inputMode) el.setAttribute('inputmode', o.inputMode);
  if (o.value !== undefined) el.setAttribute('value', o.value);
  const err = document.createElement('div');
  err.className = 'field-error';
  err.id = `field-error-${++errorIds}`;
  err.setAttribute('aria-live', 'polite');
  if (o.hint) el.title = o.hint;
  wrap.append(el, err);
  return {
    el: wrap,
    get value() {
      return el.value ?? '';
    },
    set value(v: string) {
      el.value = v;
    },
    get disabled() {
      return el.disabled;
    },
    set disabled(v: boolean) {
      el.disabled = v;
    },
    setError(message) {
      err.textContent = message ?? '';
      if (message) {
        el.setAttribute('aria-invalid', 'true');
        el.setAttribute('aria-describedby', err.id);
      } else {
        el.removeAttribute('aria-invalid');
        el.removeAttribute('aria-describedby');
      }
      wrap.classList.toggle('invalid', !!message);
    },
    focus() {
      el.focus();
    },
  };
}

export function dropdown<T extends string>(label: string, options: readonly { value: T; label: string }[], o: { id: string; value: T; onChange?: (v: T) => void }): Select<T> {
  const wrap = document.createElement('div');
  wrap.className = 'field';
  const lab = document.createElement('label');
  lab.textContent = label;
  lab.htmlFor = o.id;
  lab.className = 'field-label';
  const el = create('vscode-dropdown', o.id);
  el.classList.add('select');
  el.setAttribute('aria-label', label);
  for (const opt of options) {
    const oe = create('vscode-option');
    oe.setAttribute('value', opt.value);
    oe.textContent = opt.label;
    if (opt.value === o.value) oe.setAttribute('selected', '');
    el.append(oe);
  }
  el.addEventListener('change', () => o.onChange?.(el.value as T));
  wrap.append(lab, el);
  return {
    el: wrap,
    get value() {
      return el.value as T;
    },
    set value(v: T) {
      el.value = v;
    },
    get disabled() {
      return el.disabled;
    },
    set disabled(v: boolean) {
      el.disabled = v;
    },
    focus() {
      el.focus();
    },
  };
}

export function divider(): HTMLElement {
  const el = create('vscode-divider');
  el.setAttribute('role', 'separator');
  return el;
}
