// Vite turns CSS imports into stylesheet links; TypeScript only needs to know they exist.
declare module '*.css';
