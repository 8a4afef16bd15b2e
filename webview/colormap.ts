// The scale lives in src/shared so the editor overlay on the host colours with the very same table.
export * from '../src/shared/colormap';
