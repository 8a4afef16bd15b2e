// The panel's sections: a heading, and for all but the first-screen ones a disclosure that folds
// the section away. Which sections are folded is part of the panel's saved view.

export interface Section {
  readonly element: HTMLElement;
  /** The heading's row: small controls of the section go here, beside the title. */
  readonly head: HTMLElement;
  /** Where the section's content goes. */
  readonly body: HTMLElement;
  readonly id: string;
  open: boolean;
}

/** A fixed section: always open (the first screen's heatmap, prediction and loss). */
export function fixedSection(title: string, id: string): Section {
  const element = document.createElement('section');
  element.id = id;
  element.setAttribute('aria-labelledby', `${id}-h`);
  const h = document.createElement('h2');
  h.id = `${id}-h`;
  h.textContent = title;
  const head = document.createElement('div');
  head.className = 'section-head';
  head.append(h);
  const body = document.createElement('div');
  body.className = 'section-body';
  element.append(head, body);
  return { element, head, body, id, open: true };
}

/** A section the user can fold; `onToggle` hears every change (to save it). */
export function foldingSection(title: string, id: string, open: boolean, onToggle: (id: string, open: boolean) => void): Section {
  const element = document.createElement('section');
  element.id = id;
  const details = document.createElement('details');
  details.open = open;
  const summary = document.createElement('summary');
  const h = document.createElement('h2');
  h.id = `${id}-h`;
  h.textContent = title;
  summary.append(h);
  const body = document.createElement('div');
  body.className = 'section-body';
  details.append(summary, body);
  element.append(details);
  details.addEventListener('toggle', () => onToggle(id, details.open));
  return {
    element,
    head: summary,
    body,
    id,
    get open() {
      return details.open;
    },
    set open(v: boolean) {
      details.open = v;
    },
  };
}
