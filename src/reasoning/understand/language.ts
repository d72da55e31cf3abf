// Which language an utterance is in, reported only when sure. franc (trigram statistics) is unreliable on the short
// utterances of a phone call ("sí", "Ana Torres", "okay"), so it is one vote beside function words that only one of
// the two languages has; a name or a number alone is in no language.
import { franc } from 'franc-min';
import type { Language } from '../../primitives.js';
import { fold } from './text.js';

const ES = new Set([
  'hola', 'buenos', 'buenas', 'gracias', 'por', 'favor', 'senor', 'senora', 'necesito', 'quiero', 'tengo', 'estoy', 'esta',
  'mi', 'mis', 'soy', 'habla', 'hablo', 'llamo', 'usted', 'ayuda', 'abogado', 'abogada', 'hijo', 'hija', 'esposo', 'esposa',
  'que', 'como', 'donde', 'cuando', 'el', 'los', 'las', 'del', 'es', 'con', 'para', 'una', 'pero', 'porque', 'fue', 'hace',
  'ayer', 'si', 'nombre', 'llame', 'llamar', 'puede', 'quisiera', 'tuve', 'accidente', 'ellos', 'nosotros', 'muy', 'tambien',
  'bueno', 'pues', 'ahora', 'numero', 'telefono', 'correo', 'dia', 'semana', 'mes', 'ano', 'no', 'y', 'de', 'la', 'en',
]);
const EN = new Set([
  'hi', 'hello', 'my', 'name', 'is', 'i', "i'm", 'im', 'the', 'yes', 'yeah', 'and', 'to', 'of', 'need', 'want', 'this', 'it',
  'was', 'please', 'thanks', 'thank', 'you', 'lawyer', 'attorney', 'with', 'have', 'about', 'calling', 'call', 'what',
  'how', 'they', 'he', 'she', 'we', 'that', 'for', 'in', 'on', 'at', 'be', 'are', 'am', 'do', 'did', 'just', 'okay', 'ok',
  'hey', 'got', 'get', 'can', 'could', 'would', 'our', 'his', 'her', 'him', 'there', 'here', 'son', 'wife', 'husband',
]);
/** Words both languages use ("no", "a", "de" in names) count for neither alone. */
const SHARED = new Set(['no', 'a', 'de', 'la', 'en', 'y']);

export function detectLanguage(text: string): Language | undefined {
  const words = fold(text).trim().split(' ').filter(Boolean);
  if (words.length === 0) return undefined;
  const es = words.filter((w) => ES.has(w) && !SHARED.has(w)).length + (words.filter((w) => SHARED.has(w) && w !== 'no' && w !== 'a').length > 1 ? 1 : 0);
  const en = words.filter((w) => EN.has(w)).length;
  const trigram = text.length >= 12 ? franc(text, { only: ['eng', 'spa'], minLength: 12 }) : 'und';
  // "sí" / "gracias" alone are Spanish; one English word alone ("yes", "okay") is English.
  if (words.length <= 2) {
    if (es >= 1 && en === 0) return 'es';
    if (en >= 1 && es === 0) return 'en';
    return undefined;
  }
  if (es >= 2 && es > en * 2) return 'es';
  if (en >= 2 && en > es * 2) return 'en';
  if (trigram === 'spa' && es > en) return 'es';
  if (trigram === 'eng' && en > es) return 'en';
  return undefined;
}
