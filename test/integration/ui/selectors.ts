// Every selector the UI scenarios use, in one place: when the panel's DOM or the workbench's
// changes, this is the file to edit. Panel selectors are ids, roles and aria-labels the panel
// sets on purpose; workbench selectors are VS Code's own class names (stable across 1.9x–1.139).

/** The training panel's document (inside the webview's nested iframes). */
export const panel = {
  /** Present only in the training panel's document; marks the frame to drive. */
  marker: '#app #btn-pause',
  /** Carries the panel's title in data-title. */
  root: '#app',
  pause: '#btn-pause',
  resume: '#btn-resume',
  step: '#btn-step',
  stop: '#btn-stop',
  exportWeights: '#btn-export-weights',
  exportCsv: '#btn-export-csv',
  exportJson: '#btn-export-json',
  /** "Running · epoch #12 (13 of 600) · loss 1.234567 · accuracy 0.1234" */
  statusLine: '#status-line',
  /** The restored note and the ending's message. */
  statusMessage: '#status-message',
  /** The seed-style lines "#30, Loss: …, Acc: …, Test_string: "…"", one element per line. */
  history: '[role="log"][aria-label="Prediction history"]',
  /** aria-label "Loss per epoch; latest 0.102026 at epoch 599" once an epoch has arrived. */
  lossChart: 'canvas[aria-label^="Loss per epoch"]',
  heatmap: 'canvas.heatmap-canvas',
  predictedLine: '.prediction .line.predicted',
  targetLine: '.prediction .line.target',
  /** The timeline: Play/Pause of the playback, speed, the scrubber (a range input) and "epoch #N of #M". */
  play: '#btn-play',
  speed: '#sel-speed',
  scrubber: '#scrubber',
  timelineEpoch: '#timeline-epoch',
  /** The heatmap's legend and the first screen's prediction and loss sections. */
  legend: '.heatmap .legend',
  lossSection: '#sec-loss canvas',
  whySentence: '#why-sentence',
  /** Inside the network: the section, its caption, heatmap, tabs, the unit's text. */
  inside: '#sec-inside',
  insideCaption: '#inside-caption',
  insideCanvas: '#inside-canvas',
  unitText: '#inside-unit-text span[data-step]',
  saturation: '#inside-saturation',
  /** p(target) under the prediction (one span per step) and the connectivity of a clicked one. */
  targetStrip: '#target-strip span[data-step]',
  connectivity: '#connectivity-line span[data-step]',
  connectivityCaption: '#connectivity-caption',
  gradCheck: '#btn-gradcheck',
  gradCheckRows: '#gradcheck-table tbody tr',
  gradCheckCaption: '#gradcheck-caption',
} as const;

/** One cell of the p(target) strip. */
export const stripStep = (t: number): string => `#target-strip span[data-step="${t}"]`;

/** "Save as PNG…" of a figure (data-figure: heatmap, loss, accuracy, why, row, sigma, matrix). */
export const figureButton = (figure: string): string => `.figure-button[data-figure="${figure}"]`;

/** VS Code's workbench page. */
export const workbench = {
  root: '.monaco-workbench',
  explorerRow: (name: string) => `.explorer-folders-view .monaco-list-row[aria-label*="${name}"]`,
  editorLines: '.editor-instance .monaco-editor .view-lines',
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget .quick-input-box input',
  /** The visible label of a palette row ("View: Close All Editors"). */
  quickInputLabel: '.label-name',
  /** Editor tabs, by their title (aria-label starts with it). */
  tab: (title: string) => `.tabs-container .tab[aria-label^="${title}"]`,
  /** The outer element of every webview (its iframe holds the extension's document). */
  webviewFrame: 'iframe.webview',
  tabs: '.tabs-container .tab',
  /** Status bar entries; the extension's reads "RNN #599 loss 0.1020 (done)". */
  statusBarItem: '.statusbar-item',
  bottomPanel: '.part.panel',
  notificationCenter: '.notifications-center',
  /** Messages in the toasts and in the notification centre. */
  notificationMessage: '.notifications-toasts .notification-list-item-message, .notifications-center .notification-list-item-message',
} as const;

/**
 * The panel's read-only test hooks (`window.__rnnLab`). Used only for what the DOM does not
 * show (the number of points a chart plots); everything else is read from the DOM above.
 */
export const hooksGlobal = '__rnnLab';
