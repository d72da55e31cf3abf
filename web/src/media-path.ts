// The one check before the bearer token goes with a media request: the path must be a same-origin admin API path.
// A path comes from a response body (a recording's mediaPath), so it is never trusted to point somewhere safe.

export const isApiMediaPath = (path: string): boolean => /^\/api\/[^?#]*$/.test(path) && !path.split('/').includes('..');
