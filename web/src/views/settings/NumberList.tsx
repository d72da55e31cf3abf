// An editable list of one kind of value (on-call numbers, holiday dates): each item its own labelled input, with
// remove and, for an ordered list, move up/down buttons named for the item so a screen reader says which one moves.
import type { ComponentChildren } from 'preact';

interface Props {
  id: string; legend: string; itemLabel: string; addText: string; type: 'tel' | 'date';
  items: string[]; onChange: (items: string[]) => void; error?: string | undefined; hint?: ComponentChildren; ordered?: boolean;
}

export function NumberList({ id, legend, itemLabel, addText, type, items, onChange, error, hint, ordered = false }: Props) {
  const put = (i: number, v: string) => onChange(items.map((x, j) => (j === i ? v : x)));
  const move = (i: number, by: -1 | 1) => {
    const next = [...items];
    [next[i], next[i + by]] = [next[i + by]!, next[i]!];
    onChange(next);
  };
  const add = () => {
    onChange([...items, '']);
    // Focus the new input once it exists, so the keyboard user types straight into it.
    setTimeout(() => document.getElementById(`f-${id}-${items.length}`)?.focus(), 0);
  };
  const List = ordered ? 'ol' : 'ul';
  return (
    <fieldset id={`f-${id}`} tabIndex={-1} aria-describedby={error ? `f-${id}-err` : undefined} aria-invalid={error ? true : undefined}>
      <legend>{legend}</legend>
      {items.length > 0 && (
        <List class="edit-list">
          {items.map((v, i) => (
            <li key={i}>
              <label for={`f-${id}-${i}`} class="sr-only">{itemLabel} {i + 1}</label>
              {type === 'tel'
                ? <input id={`f-${id}-${i}`} type="tel" autocomplete="off" value={v} onInput={(e) => put(i, e.currentTarget.value)} />
                : <input id={`f-${id}-${i}`} type="date" value={v} onInput={(e) => put(i, e.currentTarget.value)} />}
              {ordered && <button type="button" class="secondary small-btn" disabled={i === 0} aria-label={`Up: move ${itemLabel.toLowerCase()} ${i + 1} up`} onClick={() => move(i, -1)}>Up</button>}
              {ordered && <button type="button" class="secondary small-btn" disabled={i === items.length - 1} aria-label={`Down: move ${itemLabel.toLowerCase()} ${i + 1} down`} onClick={() => move(i, 1)}>Down</button>}
              <button type="button" class="secondary small-btn" onClick={() => onChange(items.filter((_, j) => j !== i))}>Remove<span class="sr-only"> {itemLabel.toLowerCase()} {i + 1}</span></button>
            </li>
          ))}
        </List>
      )}
      {error && <p class="error small" id={`f-${id}-err`}>{error}</p>}
      {hint}
      <button type="button" class="secondary small-btn" onClick={add}>{addText}</button>
    </fieldset>
  );
}
