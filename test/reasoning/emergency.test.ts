import { describe, expect, it } from 'vitest';
import { decideByRules } from '../../src/reasoning/rules.js';
import { emergencyEvidence } from '../../src/reasoning/emergency.js';

// An emergency is something happening now or imminent; alarming words with no "now" are asked about, not transferred.
const E = { name: 'is_emergency', question: 'Is this an emergency?', options: ['yes', 'no'] };
const transfers = (t: string) => { const d = decideByRules(E, t); return d.choice === 'yes' && d.confidence >= 0.8; };

describe('emergency evidence: now, maybe, none', () => {
  it('an arrest the caller tells with a past weekday, or of themself, is asked about, not transferred', () => {
    expect(emergencyEvidence('they arrested me on Tuesday for a bar fight and my court date is next month').level).toBe('maybe');
    expect(emergencyEvidence('I was arrested for shoplifting, I need a lawyer').level).toBe('maybe');
    expect(transfers('I was arrested for shoplifting, I need a lawyer')).toBe(false);
  });
  it('someone released is no emergency at all', () => {
    expect(emergencyEvidence('my cousin got arrested Sunday but he got out this morning').level).toBe('none');
    expect(emergencyEvidence('me detuvieron el lunes pero ya me soltaron').level).toBe('none');
  });
  it('a relative held now, or freshly, is an emergency in both languages', () => {
    expect(transfers('my brother got arrested on Monday and they are still holding him downtown')).toBe(true);
    expect(transfers('the police took my daughter an hour ago')).toBe(true);
    expect(transfers('my dad was taken by ICE agents outside his job')).toBe(true);
    expect(transfers('la migra detuvo a mi papá ayer en la mañana')).toBe(true);
  });
  it('threats by text or an order wanted are asked about; someone at the door is danger now', () => {
    expect(transfers('I want a restraining order, my ex keeps threatening me on Instagram')).toBe(false);
    expect(transfers('quiero una orden de restricción, mi esposo me amenaza por teléfono')).toBe(false);
    expect(decideByRules(E, 'I want a restraining order, my ex keeps threatening me on Instagram').choice).toBe('yes');
    expect(transfers("he's standing outside my house right now and won't leave")).toBe(true);
    expect(transfers('mi novio está afuera de mi departamento gritando')).toBe(true);
    expect(transfers('he is pounding on the door and I am scared')).toBe(true);
  });
  it('a fall at the caller\'s building and a Spanish crash that "hit me" are no danger', () => {
    expect(emergencyEvidence('I tripped at my apartment complex on a loose step').level).toBe('none');
    expect(emergencyEvidence('una camioneta se pasó el semáforo y me pegó en el lado del pasajero').level).toBe('none');
  });
});

describe('the practice area when two matters are heard', () => {
  const A = { name: 'practice_area', question: 'Which practice area?', options: ['personal_injury', 'family', 'criminal', 'immigration', 'estate', 'other'] };
  it('a crime victim asking about a visa is no criminal defence', () => {
    expect(decideByRules(A, 'somebody broke into my car and I was the victim of a theft, can that help my visa case?').choice).not.toBe('criminal');
  });
  it('a death told in Spanish is an estate matter', () => {
    expect(decideByRules(A, 'mi esposo murió en agosto y dejó dos terrenos').choice).toBe('estate');
  });
  it('two matters with neither far ahead are no decision the flow acts on', () => {
    const d = decideByRules(A, 'my dad passed away and his papers for the green card never came');
    expect(d.confidence).toBeLessThan(0.7);
  });
});

describe('Spanish matters by their everyday words', () => {
  const A = { name: 'practice_area', question: 'Which practice area?', options: ['personal_injury', 'family', 'criminal', 'immigration', 'estate', 'other'] };
  it('a dog bite with stitches is an injury; an ex-husband with a restraining order is family', () => {
    expect(decideByRules(A, 'a mi sobrina la mordió un perro en el parque y le pusieron puntos').choice).toBe('personal_injury');
    expect(decideByRules(A, 'mi ex marido no respeta la orden de alejamiento').choice).toBe('family');
  });
});

describe('custody that is long-standing, and police taking things', () => {
  it('years in prison and an appeal are asked about; "the police took my statement" is no arrest', () => {
    expect(emergencyEvidence('my dad has been in prison for six years and we want to appeal').level).toBe('maybe');
    expect(emergencyEvidence('he was sentenced this morning and they took him into custody').level).toBe('now');
    expect(emergencyEvidence('the officers took my report at the scene').level).toBe('none');
    expect(emergencyEvidence('the officers took my husband away').level).toBe('now');
  });
});

describe('custody denied, and custody that is not child custody', () => {
  it('"isn\'t in custody anymore", "ya no está detenido" are no emergency and no family matter', () => {
    expect(emergencyEvidence("my brother isn't in custody anymore, they let him go").level).toBe('none');
    expect(emergencyEvidence('mi papá ya no está detenido').level).toBe('none');
    const A = { name: 'practice_area', question: 'Which practice area?', options: ['personal_injury', 'family', 'criminal', 'immigration', 'estate', 'other'] };
    expect(decideByRules(A, 'my nephew was taken into custody downtown').choice).not.toBe('family');
  });
});

describe('custody volunteered in an opening', () => {
  it('"I was arrested on May 3rd" leaves "in custody now?" for its question; "my son is in jail" answers it', async () => {
    const { custodyNow } = await import('../../src/reasoning/emergency.js');
    expect(custodyNow('I was arrested on May 3rd for a DUI and my court date is in June')).toBe('open');
    expect(custodyNow('my cousin got arrested back in April and they let him out the next day')).toBe('released');
    expect(custodyNow('my husband is locked up in Cook County')).toBe('held');
    expect(custodyNow('I slipped on the ice')).toBeNull();
    expect(emergencyEvidence('I was arrested on May 3rd for a DUI').level).toBe('maybe');
  });
});

describe('the emergency request in a story', () => {
  it('strong words told as history ask for no transfer; saying it is an emergency, or something now, does', async () => {
    const { detectRequests } = await import('../../src/reasoning/understand/requests.js');
    const asks = (t: string, language: 'en' | 'es' = 'en') => detectRequests(t, { language }).some((r) => r.kind === 'emergency');
    expect(asks("my cousin has been arrested three times, that's why I'm worried")).toBe(false);
    expect(asks('she was threatening me back in the spring')).toBe(false);
    expect(asks('it was an emergency back then, now it is fine')).toBe(false);
    expect(asks('a mi tío lo arrestaron el año pasado', 'es')).toBe(false);
    expect(asks("it's a real emergency, please")).toBe(true);
    expect(asks('my wife was just arrested outside the store')).toBe(true);
    expect(asks('tengo una emergencia', 'es')).toBe(true);
  });
});

describe('Spanish custody and abuse told as ongoing', () => {
  it('"en la cárcel desde hace dos años" is asked about; "me pega" is asked about', () => {
    expect(emergencyEvidence('mi primo está en la cárcel desde hace tres años').level).toBe('maybe');
    expect(emergencyEvidence('mi pareja me pega cuando toma').level).toBe('maybe');
  });
});
