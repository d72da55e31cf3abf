// Types for parse-full-name (the package ships none): the parts it splits a full name into.
declare module 'parse-full-name' {
  export interface ParsedName {
    title: string;
    first: string;
    middle: string;
    last: string;
    nick: string;
    suffix: string;
    error: string[];
  }
  /** partToReturn 'all' gives every part; fixCase -1 leaves the caller's capitalisation; stopOnError 0; useLongLists 0. */
  export function parseFullName(name: string, partToReturn?: 'all', fixCase?: -1 | 0 | 1, stopOnError?: 0 | 1, useLongLists?: 0 | 1): ParsedName;
}
