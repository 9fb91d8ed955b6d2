/** Geometry in the data's projected CRS: projections, polygons, the square grid. */
export * from './polygon';
export * from './grid';
export * from './crs';
