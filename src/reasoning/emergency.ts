// Is the caller's statement an emergency: someone held right now, a court date within two days, or someone in danger
// now? Strong words are not enough ("I got arrested Friday ... I got out Saturday", "he keeps threatening me by
// text", "a man ran the light and hit me"): a receptionist transfers only on something happening now or imminent, and
// asks when the words are alarming but the time is not. So the evidence has three levels: `now` (transfer), `maybe`
// (ask the caller), `none`.

/** Accent-free lower case with straight apostrophes (the folding the rules use). */
const fold = (s: string) => s.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/[’]/g, "'");

/** Someone held: arrest, custody, detention, in English and Spanish. */
const CUSTODY: RegExp[] = [
  /\b(?:arrested|under arrest|in jail|in custody|into custody|locked up|lockup|detained|being held|in prison|booked|got picked up by (?:the )?police|from (?:the )?(?:jail|prison|police station|detention center))\b/,
  // "the police took my son", not "the police took my statement".
  /\b(?:police|cops|officers|ice|sheriff|immigration|agents)\b[^.]{0,40}\b(?:picked up|took|taken|grabbed|arrested|detained|handcuffed)\b(?! (?:my|the|a|an|his|her|our|their|some) (?:\w+ )?(?:statement|report|info\w*|car|truck|phone|keys|license|details|number|pictures?|photos?|fingerprints|dna|side|version|complaint|evidence|bag|stuff|things|money|wallet|id))/,
  // "picked up by immigration", "taken by the police": the agent after the verb.
  /\b(?:picked up|taken|grabbed|detained|arrested|held|handcuffed) by (?:the )?(?:police|cops|officers|ice|sheriff|immigration|agents|border patrol)\b/,
  /\b(?:ice|immigration|police|cops|la migra|inmigracion) (?:has|have|is holding|are holding|tiene|tienen) (?:(?:my|mi|a mi) (?:son|daughter|husband|wife|brother|sister|father|dad|mother|mom|boyfriend|girlfriend|partner|nephew|niece|cousin|uncle|aunt|grandson|granddaughter|kid|child|hijo|hija|esposo|esposa|hermano|hermana|papa|mama|padre|madre|novio|novia|sobrino|sobrina|primo|prima|nieto|nieta)|him|her|them|al? (?:mi )?\w+)\b/,
  /\b(?:acaba\w* de (?:arrestar|detener|llevarse)|(?:lo|la) tienen (?:en la (?:estacion|carcel|delegacion)|detenid[oa]|preso|presa)|arrestad[oa]|arrestaron|detenid[oa]|detuvieron|detuvo|en la carcel|preso|presa|agarro la policia|la policia se llevo|se lo llevo la policia|se la llevo la policia|se llevaron a|se (?:lo|la) llevo (?:la migra|inmigracion))\b/,
];

/** The arrest is history: long ago, or the person is already out. */
export const OLD_HISTORY = /\b(?:years? ago|months? ago|last year|back in (?:\d{4}|the day)|in (?:19|20)\d\d|expunge\w*|my record|hace (?:anos|meses)|out on (?:bond|bail)|bailed (?:out|him out|her out)|posted (?:bond|bail)|(?:was|got|been) released|released (?:him|her|them|me|my \w+) (?:to|on|with|into|from|already|this|last|yesterday)|let (?:him|her|me) (?:go|out)|got out\b(?! of (?:the |my |his |her |a )?(?:car|truck|van|vehicle|bed|bus|cab|way|hospital))|(?:i'm|i am|he's|he is|she's|she is) out (?:now|already)|salio bajo fianza|ya salio|(?:me|lo|la) soltaron|(?:arrested|detained|locked up|picked up|arrestad[oa]|detenid[oa]) (?:before|twice|(?:two|three|four|several|many|a few|\d+) times|in the past|years back)|el ano pasado|(?<!desde )hace (?:un|dos|tres|varios|muchos) anos)\b/;

/** The person is held as the caller speaks. */
const HELD_NOW = /\b(?:still (?:in|at|being|locked|detained|held)|(?:is|are|he's|she's|they're|i'm|i am) (?:being held|locked up|detained)|(?:esta|estan|sigue|siguen) (?:en la carcel|en la estacion|detenid[oa]s?|pres[oa]s?|en custodia|encerrad[oa])|(?:ice|immigration|police|cops|la migra|inmigracion) (?:has|have|is holding|are holding|tiene|tienen) (?:(?:my|mi|a mi) (?:son|daughter|husband|wife|brother|sister|father|dad|mother|mom|boyfriend|girlfriend|partner|nephew|niece|cousin|uncle|aunt|grandson|granddaughter|kid|child|hijo|hija|esposo|esposa|hermano|hermana|papa|mama|padre|madre|novio|novia|sobrino|sobrina|primo|prima|nieto|nieta)|him|her|them|al? (?:mi )?\w+)\b|(?:they|they've|they have|they're|they are) (?:got |have |holding |keeping )?(?:him|her|them|my \w+) (?:at|in)|(?:holding|keeping) (?:him|her|them)|(?:is|he's|she's|they're) (?:at|in) (?:the )?(?:\w+ )?(?:jail|lockup|station|detention|processing|prison|custody)|calling (?:you )?from (?:the )?(?:jail|prison|station)|(?:lo|la|los) tienen|sigue detenid[oa]|sigue (?:en la|preso|presa)|todavia (?:esta|sigue)|aun esta)\b/;

/** Just now: an arrest, a threat or a blow that is fresh. */
const IMMEDIATE = /\b(?:just (?:now|got|was|been|took|threatened|hit|beat|arrested|detained|picked|broke|attacked|pulled|showed|came|happened|called)|right now|tonight|today|this (?:morning|afternoon|evening)|last night|an? (?:hour|few hours|couple (?:of )?hours) ago|minutes ago|ahora mismo|ahorita|esta (?:manana|noche|tarde)|anoche|hoy|hace (?:un rato|una hora|unos minutos|rato)|acaba\w* de)\b/;

/** A day that puts an arrest in the past (a weekday, weeks ago), which leaves open whether anyone is still held. */
const PAST_ANCHOR = /\b(?:on )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|lunes|martes|miercoles|jueves|viernes|sabado|domingo)\b|\b(?:in|on|back in|since) (?:january|february|march|april|may|june|july|august|september|october|november|december)\b|\bon the \d{1,2}(?:st|nd|rd|th)\b|\b(?:weeks? ago|last week|last month|hace (?:una|dos|tres|\d+) semanas?|la semana pasada|el mes pasado)\b/;

/** Someone held for a long time already: a sentence, an appeal, parole, years inside. */
const LONG_HELD = /\b(?:been (?:there|in|inside|locked up|in prison|in jail) (?:for )?(?:over |almost |about |like )?(?:a|an|one|two|three|four|five|six|\w+|\d+) (?:years?|months?)|serving (?:a |his |her |their )?(?:sentence|time|years)|sentenced|appeal\w*|parole|lleva (?:\w+ )?(?:anos|meses)|desde hace (?:\w+ )?(?:anos|meses)|sentencia|apelar|apelacion)\b/;

/** The caller themself was arrested: they are on the phone, so usually not held, unless they say so. */
const FIRST_PERSON_ARREST = /\bi(?: was| got| have been|'ve been| just got)? (?:arrested|picked up|detained|booked)\b|\bme (?:arrestaron|detuvieron|detuvo)\b/;

/** A court date within two days. */
const COURT_SOON: RegExp[] = [
  /\b(?:hearing|court|trial|arraignment|court date|deposition)\b[^.]{0,40}\b(?:tomorrow|today|this (?:morning|afternoon|week)|tonight|in (?:an|one|two|a few) hours?)\b/,
  /\b(?:tomorrow|today|this morning)\b[^.]{0,30}\b(?:hearing|court|trial|arraignment)\b/,
  /\b(?:audiencia|corte|juicio)\b[^.]{0,30}\b(?:manana|hoy)\b/,
];

/** Danger now: someone at the door, a weapon, a threat to life, said in so many words. */
const DANGER_NOW: RegExp[] = [
  /\b(?:in danger|en peligro|afraid for my life|fear for my life|temo por mi vida|(?:kill|shoot|stab) (?:me|us|him|her|my)\b|(?:has|with|holding) a (?:gun|knife|weapon)|con (?:un|una) (?:pistola|cuchillo|arma)|locked (?:myself )?in|hiding (?:from|in)|me quiere (?:matar|hacer dano)|me va a (?:matar|hacer dano))\b/,
  // Someone at the door: the person is the subject ("he's outside my apartment"), not the caller's fall "at my apartment".
  /\b(?:is|he's|she's|they're|he is|she is|they are|standing|waiting|parked|sitting|showed up) (?:right )?(?:outside|at|in front of) (?:my|our|the) (?:door|house|home|apartment|window|place|building|work)\b|\b(?:banging on|pounding on|kicking in|breaking into|broke into|broke (?:my|our|the) (?:door|window)|trying to (?:get|break) in)\b|\b(?:esta|estan|anda|sigue) (?:aqui )?(?:afuera|fuera|enfrente) de (?:mi|la|nuestra) (?:casa|puerta|apartamento|departamento|trabajo)\b|\b(?:golpeando|tocando|pateando) (?:la|mi) (?:puerta|ventana)\b|\b(?:rompio|quebro) (?:la|mi) (?:ventana|puerta)\b|\b(?:he's|she's|he is|she is) here\b|\besta aqui\b/,
  /\bice (?:took|detained|picked)|being deported|deport\w*\b[^.]{0,40}\b(?:tomorrow|today|tonight|this week)\b/,
];

/** Alarming words that are not, by themselves, something happening now: the caller is asked. */
const ALARM: RegExp[] = [
  // Threats to safety, not "threatened with a lawsuit".
  /\b(?:threatened|threatening|threats?)\b(?![^.]{0,20}\b(?:lawsuit|suit|sue|legal action|court|collections|deny|cancel|fire|evict|report|raise|charge)\b)/,
  // "hurt my back" is an injury, not a threat: "my" only after kill / shoot / stab.
  /\b(?:hurt) (?:me|us|him|her)\b|\b(?:he'?s going to hurt|she'?s going to hurt|hurt me|beat me|hit me|abusive|violence|unsafe|restraining order|protective order|order of protection)\b/,
  /\b(?:amenaz\w*|me pego|me pega|me golpe\w*|me maltrata|violencia|la migra|orden de (?:proteccion|alejamiento|restriccion))\b/,
];

/** Vehicles and drivers that "hit me": a collision told, not someone hurting the caller now. */
const COLLISION = /\b(?:car|truck|semi|van|bus|cab|taxi|uber|lyft|vehicle|suv|motorcycle|scooter|train|forklift|driver)\b[^.;]{0,40}?\b(?:hit|struck|rear[- ]ended|ran into|crashed into|t[- ]boned|sideswiped|knocked|ran over) (?:me|us|my \w+|him|her)\b|\b(?:someone|somebody|guy|lady|woman|man|he|she|they)\b[^.,;]{0,30}?\b(?:hit|struck|rear[- ]ended|ran into|crashed into|t[- ]boned|sideswiped|knocked) (?:me|us|my \w+|him|her)\b(?=[^.]{0,40}\b(?:car|truck|van|bus|vehicle|motorcycle|bike|scooter|intersection|light|road|street|highway|lane|parking|crosswalk|driving|drunk|speed\w*|accident|crash)\b)|\b(?:hit|struck) (?:me|us|him|her) (?:with|in) (?:his|her|their|a|the) (?:car|truck|van|suv|vehicle)\b/g;

/** Spanish collisions: "un señor se pasó el alto y me pegó en la puerta del chofer" is a crash, not a blow. */
const COLLISION_ES = /\b(?:choque|chocaron|choco|accidente|carro|coche|camion|camioneta|chofer|conductor|se paso el alto|semaforo)\b/;

const NEGATED_CUSTODY = /(?:\bnot|n't|\bnever|\bno longer|\bya no|\bno)\s+(?:(?:really|actually|even|currently|still|been|being|got|gotten|esta|estan|sigue|fue)\s+)?(?:in custody|in jail|in prison|detained|locked up|arrested|being held|held|under arrest|detenid[oa]s?|en la carcel|pres[oa]s?|arrestad[oa]s?)\b/g;

/**
 * Whether someone is held right now, by the custody words: `held` (said held now, or freshly arrested), `released`,
 * `open` (an arrest told with a past day, or of the caller themself, who is on the phone), or null (no custody words).
 */
export function custodyNow(text: string): 'held' | 'released' | 'open' | null {
  const t = fold(text).replace(NEGATED_CUSTODY, ' ');
  if (!CUSTODY.some((re) => re.test(t))) return null;
  if (OLD_HISTORY.test(t)) return 'released';
  if (HELD_NOW.test(t) || IMMEDIATE.test(t)) return 'held';
  return PAST_ANCHOR.test(t) || FIRST_PERSON_ARREST.test(t) || LONG_HELD.test(t) ? 'open' : 'held';
}

export type EmergencyLevel = 'now' | 'maybe' | 'none';

/** How sure the statement says that something is happening now, with the words that say so. */
export function emergencyEvidence(text: string): { level: EmergencyLevel; why: string[] } {
  // "He isn't in custody anymore", "no está detenido": custody denied is no custody.
  let t = fold(text).replace(COLLISION, ' collision ').replace(NEGATED_CUSTODY, ' ');
  if (COLLISION_ES.test(t)) t = t.replace(/\bme (?:pego|pegaron|golpeo)\b/g, ' collision ');
  const now: string[] = [];
  const maybe: string[] = [];
  const custody = CUSTODY.map((re) => re.exec(t)?.[0]).filter((m): m is string => !!m);
  if (custody.length && !OLD_HISTORY.test(t)) {
    const held = HELD_NOW.test(t);
    const fresh = IMMEDIATE.test(t);
    // "My son was arrested" (held, most likely) is now; "I got arrested Friday" leaves it open.
    const open = !held && !fresh && (PAST_ANCHOR.test(t) || FIRST_PERSON_ARREST.test(t));
    // "He's been in prison two years, I want to appeal": held, but long since; nothing new is happening tonight.
    (open || (!fresh && LONG_HELD.test(t)) ? maybe : now).push(...custody);
  }
  for (const re of [...COURT_SOON, ...DANGER_NOW]) {
    const m = re.exec(t)?.[0];
    if (m) now.push(m);
  }
  const alarm = ALARM.map((re) => re.exec(t)?.[0]).filter((m): m is string => !!m);
  // "He hit me again tonight" is fresh; "me golpeó y tengo miedo de volver" is fear of what may come, and is asked.
  if (alarm.length) (IMMEDIATE.test(t) ? now : maybe).push(...alarm);
  return { level: now.length ? 'now' : maybe.length ? 'maybe' : 'none', why: now.length ? now : maybe };
}
