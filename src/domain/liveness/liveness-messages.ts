/**
 * What the app shows for liveness and attempt-limit reasons, in Tajik, Russian and English. Codes that signal a
 * suspected attack get a neutral text: the person learns the check goes to an officer, not which signal fired.
 */
import type { Localised } from '../quality/quality-messages.js';

const REVIEW: Localised = {
  tg: 'Санҷиши шумо ба корманди идора барои дидан фиристода шуд. Шумо хабар мегиред.',
  ru: 'Ваша проверка передана сотруднику для просмотра. Вам сообщат результат.',
  en: 'Your check has been passed to an officer to look at. You will be told the result.',
};

export const LIVENESS_MESSAGES: Readonly<Record<string, Localised>> = {
  CHALLENGE_NONCE_UNKNOWN: {
    tg: 'Санҷиш эътибор надорад. Лутфан санҷиши навро оғоз кунед.',
    ru: 'Проверка недействительна. Пожалуйста, начните новую проверку.',
    en: 'This check is not valid. Please start a new check.',
  },
  CHALLENGE_NONCE_EXPIRED: {
    tg: 'Вақти санҷиш гузашт. Санҷиши навро оғоз кунед ва амалҳоро бе таваққуф иҷро кунед.',
    ru: 'Время проверки истекло. Начните новую проверку и выполните действия без перерыва.',
    en: 'The time for this check ran out. Start a new check and do the movements without a pause.',
  },
  CHALLENGE_FRAME_COUNT: {
    tg: 'Наворбардорӣ пурра нест. Лутфан санҷиши навро оғоз кунед.',
    ru: 'Запись неполная. Пожалуйста, начните новую проверку.',
    en: 'The recording is incomplete. Please start a new check.',
  },
  CHALLENGE_FACE_MISSING: {
    tg: 'Дар баъзе лаҳзаҳо рӯятон дида нашуд. Ҳангоми ҳаракат рӯятонро дар экран нигоҳ доред.',
    ru: 'В некоторые моменты лицо не было видно. Во время движений держите лицо на экране.',
    en: 'At some moments your face could not be seen. Keep your face on the screen while you move.',
  },
  CHALLENGE_MULTIPLE_FACES: {
    tg: 'Дар наворбардорӣ якчанд рӯй дида шуд. Боварӣ ҳосил кунед, ки дар кадр танҳо шумо ҳастед.',
    ru: 'В записи видно несколько лиц. Убедитесь, что в кадре только вы.',
    en: 'More than one face was seen in the recording. Make sure only you are in the picture.',
  },
  CHALLENGE_ACTION_MISSING: {
    tg: 'Ҳамаи амалҳои хосташуда дида нашуданд. Санҷиши навро оғоз кунед ва ҳар амалро оҳиста ва равшан иҷро кунед.',
    ru: 'Не все просимые действия были видны. Начните новую проверку и выполняйте каждое действие медленно и отчётливо.',
    en: 'Not every movement asked for was seen. Start a new check and do each movement slowly and clearly.',
  },
  CHALLENGE_ACTION_ORDER: {
    tg: 'Амалҳо бо тартиби дигар иҷро шуданд. Санҷиши навро оғоз кунед ва амалҳоро бо ҳамон тартибе, ки дар экран аст, иҷро кунед.',
    ru: 'Действия выполнены в другом порядке. Начните новую проверку и выполняйте действия в том порядке, что на экране.',
    en: 'The movements were done in a different order. Start a new check and follow the order shown on the screen.',
  },
  LIVENESS_CHALLENGE_REQUIRED: {
    tg: 'Барои ин санҷиш наворбардории ҳаракатҳо лозим аст. Лутфан санҷиши навро оғоз кунед.',
    ru: 'Для этой проверки нужна запись движений. Пожалуйста, начните новую проверку.',
    en: 'This check needs a recording of the movements. Please start a new check.',
  },
  ATTEMPTS_LOCKED_OUT: {
    tg: 'Кӯшишҳо аз ҳад зиёд шуданд. Санҷиши шумо ба корманди идора фиристода шуд; баъдтар боз кӯшиш кунед.',
    ru: 'Слишком много попыток. Ваша проверка передана сотруднику; попробуйте позже.',
    en: 'Too many attempts. Your check has been passed to an officer; try again later.',
  },
  CHALLENGE_NONCE_REUSED: REVIEW,
  CHALLENGE_WRONG_SUBJECT: REVIEW,
  CHALLENGE_FRAME_REPEATED: REVIEW,
  CHALLENGE_PERSON_CHANGED: REVIEW,
  CHALLENGE_SELFIE_MISMATCH: REVIEW,
  REPLAY_IMAGE_REUSED: REVIEW,
  REPLAY_FRAME_SET_REUSED: REVIEW,
  PAD_ATTACK_SUSPECTED: REVIEW,
  PAD_UNCERTAIN: REVIEW,
  LIVENESS_NOT_ASSESSED: REVIEW,
};
