/**
 * What the app shows for each quality finding, in Tajik, Russian and English. Written for an elderly person
 * holding a phone: one short sentence on what is wrong, one on what to do. The code is the contract with the
 * app; the wording may improve without a release of the app.
 */

/** Languages the messages exist in. */
export const LANGUAGES = ['tg', 'ru', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** A message in every supported language. */
export type Localised = Readonly<Record<Language, string>>;

/** Stable codes of the quality findings. */
export const QUALITY_CODES = [
  'QUALITY_NO_FACE',
  'QUALITY_MULTIPLE_FACES',
  'QUALITY_FACE_TOO_SMALL',
  'QUALITY_FACE_TOO_CLOSE',
  'QUALITY_FACE_CUT_OFF',
  'QUALITY_TOO_DARK',
  'QUALITY_TOO_BRIGHT',
  'QUALITY_LOW_CONTRAST',
  'QUALITY_BLURRY',
  'QUALITY_HEAD_TURNED',
  'QUALITY_HEAD_TILTED',
  'QUALITY_HEAD_PITCHED',
  'QUALITY_EYES_CLOSED',
  'QUALITY_LOW_RESOLUTION',
] as const;
export type QualityCode = (typeof QUALITY_CODES)[number];

export const QUALITY_MESSAGES: Readonly<Record<QualityCode, Localised>> = {
  QUALITY_NO_FACE: {
    tg: 'Рӯй ёфт нашуд. Телефонро дар баробари чашмонатон нигоҳ доред, то тамоми рӯятон дар кадр бошад.',
    ru: 'Лицо не найдено. Держите телефон на уровне глаз, чтобы всё лицо было в кадре.',
    en: 'No face was found. Hold the phone at eye level so that your whole face is in the picture.',
  },
  QUALITY_MULTIPLE_FACES: {
    tg: 'Дар акс зиёда аз як рӯй ҳаст. Боварӣ ҳосил кунед, ки дар кадр танҳо шумо ҳастед.',
    ru: 'На фото больше одного лица. Убедитесь, что в кадре только вы.',
    en: 'There is more than one face in the photo. Make sure only you are in the picture.',
  },
  QUALITY_FACE_TOO_SMALL: {
    tg: 'Рӯятон хеле хурд аст. Телефонро ба рӯятон наздиктар оред.',
    ru: 'Лицо слишком маленькое. Поднесите телефон ближе к лицу.',
    en: 'Your face is too small. Bring the phone closer to your face.',
  },
  QUALITY_FACE_TOO_CLOSE: {
    tg: 'Телефон хеле наздик аст. Онро каме дуртар баред, то тамоми саратон дар кадр ҷой гирад.',
    ru: 'Телефон слишком близко. Отодвиньте его немного, чтобы вся голова поместилась в кадр.',
    en: 'The phone is too close. Move it a little further away so that your whole head fits in the picture.',
  },
  QUALITY_FACE_CUT_OFF: {
    tg: 'Қисми рӯятон берун аз кадр мондааст. Рӯятонро дар мобайни экран гузоред.',
    ru: 'Часть лица не попала в кадр. Расположите лицо в центре экрана.',
    en: 'Part of your face is outside the picture. Put your face in the middle of the screen.',
  },
  QUALITY_TOO_DARK: {
    tg: 'Акс хеле торик аст. Ба ҷои равшантар гузаред ё рӯ ба тиреза ё чароғ истед.',
    ru: 'Фото слишком тёмное. Перейдите в более светлое место или повернитесь лицом к окну или лампе.',
    en: 'The photo is too dark. Move to a brighter place, or face a window or a lamp.',
  },
  QUALITY_TOO_BRIGHT: {
    tg: 'Рӯятон аз ҳад зиёд равшан аст ё дурахш дорад. Аз офтоби рост ё чароғи дурахшон дуртар шавед.',
    ru: 'На лице слишком много света или блики. Отойдите от прямого солнца или яркой лампы.',
    en: 'There is too much light or glare on your face. Move out of direct sunlight or away from a bright lamp.',
  },
  QUALITY_LOW_CONTRAST: {
    tg: 'Акс ғуборолуд менамояд. Линзаи камераро бо матои мулоим пок кунед.',
    ru: 'Снимок выглядит мутным. Протрите объектив камеры мягкой тканью.',
    en: 'The picture looks hazy. Wipe the camera lens with a soft cloth.',
  },
  QUALITY_BLURRY: {
    tg: 'Акс норавшан баромад. Телефонро беҳаракат нигоҳ доред, линзаи камераро пок кунед ва боз кӯшиш кунед.',
    ru: 'Фото размыто. Держите телефон неподвижно, протрите объектив камеры и попробуйте снова.',
    en: 'The photo is blurry. Hold the phone still, wipe the camera lens and try again.',
  },
  QUALITY_HEAD_TURNED: {
    tg: 'Саратон ба як тараф гаштааст. Рост ба камера нигаред.',
    ru: 'Голова повёрнута в сторону. Смотрите прямо в камеру.',
    en: 'Your head is turned to the side. Look straight at the camera.',
  },
  QUALITY_HEAD_TILTED: {
    tg: 'Саратон ба паҳлӯ хам шудааст. Саратонро рост нигоҳ доред.',
    ru: 'Голова наклонена набок. Держите голову прямо.',
    en: 'Your head is tilted. Keep your head straight.',
  },
  QUALITY_HEAD_PITCHED: {
    tg: 'Шумо ба боло ё поён нигоҳ мекунед. Телефонро дар баробари чашм нигоҳ доред ва рост ба он нигаред.',
    ru: 'Вы смотрите вверх или вниз. Держите телефон на уровне глаз и смотрите прямо на него.',
    en: 'You are looking up or down. Hold the phone at eye level and look straight at it.',
  },
  QUALITY_EYES_CLOSED: {
    tg: 'Чашмонатон пӯшида ба назар мерасанд. Чашмонро кушода, ба камера нигаред.',
    ru: 'Похоже, глаза закрыты. Откройте глаза и смотрите в камеру.',
    en: 'Your eyes seem to be closed. Keep your eyes open and look at the camera.',
  },
  QUALITY_LOW_RESOLUTION: {
    tg: 'Дар акс ҷузъиёти рӯй кам аст. Телефонро наздиктар оред ё камераи асосии телефонро истифода баред.',
    ru: 'На снимке слишком мало деталей лица. Поднесите телефон ближе или используйте основную камеру.',
    en: 'The picture shows too little detail of your face. Bring the phone closer or use the main camera.',
  },
};

/** Shown when the photo passes. */
export const QUALITY_OK: Localised = {
  tg: 'Акс мувофиқ аст.',
  ru: 'Фото подходит.',
  en: 'The photo is good.',
};

/**
 * The language to answer in, from an Accept-Language header (RFC 9110: tags with optional q weights, '*'
 * allowed). The best-weighted supported primary tag wins ('ru-RU' counts as 'ru'); Tajik when none is supported.
 */
export function pickLanguage(acceptLanguage: string | undefined, fallback: Language = 'tg'): Language {
  if (!acceptLanguage) return fallback;
  const ranked = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number(q.slice(2)) : 1;
      return { primary: tag.trim().toLowerCase().split('-')[0] ?? '', weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((entry) => entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const entry of ranked) {
    if (entry.primary === '*') return fallback;
    if ((LANGUAGES as readonly string[]).includes(entry.primary)) return entry.primary as Language;
  }
  return fallback;
}
