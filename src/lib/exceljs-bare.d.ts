/**
 * ExcelJS's browser bundle without polyfills (the page's browsers have every feature it needs):
 * the same API as the package's main entry.
 */
declare module 'exceljs/dist/exceljs.bare.min.js' {
  export * from 'exceljs';
}
