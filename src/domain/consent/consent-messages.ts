import type { Localised } from '../quality/quality-messages.js';

/** What the phone shows about a consent action, in Tajik, Russian and English. */
export const CONSENT_MESSAGES = {
  CONSENT_WITHDRAWAL_CARRIED_OUT: {
    tg: 'Ризоияти шумо бозхонда шуд. Аксҳо ва намунаҳои чеҳраи шумо нест карда мешаванд.',
    ru: 'Ваше согласие отозвано. Ваши фото и образцы лица будут удалены.',
    en: 'Your consent is withdrawn. Your photos and face samples are being deleted.',
  },
  CONSENT_WITHDRAWAL_REFUSED: {
    tg: 'Чеҳра тасдиқ нашуд, ризоият бозхонда нашуд. Боз кӯшиш кунед ё бо шиноснома ба идора муроҷиат кунед.',
    ru: 'Лицо не подтверждено, согласие не отозвано. Попробуйте ещё раз или обратитесь в отделение с паспортом.',
    en: 'Your face was not confirmed, so consent was not withdrawn. Try again or visit the office with your passport.',
  },
  CONSENT_ALREADY_WITHDRAWN: {
    tg: 'Ин ризоият аллакай бозхонда шудааст.',
    ru: 'Это согласие уже отозвано.',
    en: 'This consent has already been withdrawn.',
  },
  WITHDRAWAL_SELFIE_REQUIRED: {
    tg: 'Барои бозхонии ризоият аз телефон акси худро гиред.',
    ru: 'Чтобы отозвать согласие с телефона, сделайте снимок своего лица.',
    en: 'To withdraw consent from the phone, take a photo of your face.',
  },
  CONSENT_SELFIE_REQUIRED: {
    tg: 'Барои додани ризоият аз телефон акси худро гиред.',
    ru: 'Чтобы дать согласие с телефона, сделайте снимок своего лица.',
    en: 'To give your consent from the phone, take a photo of your face.',
  },
  CONSENT_RECORDED: {
    tg: 'Ризоияти шумо сабт шуд.',
    ru: 'Ваше согласие записано.',
    en: 'Your consent is recorded.',
  },
  CONSENT_RECORDING_REFUSED: {
    tg: 'Чеҳра тасдиқ нашуд, ризоият сабт нашуд. Боз кӯшиш кунед ё бо шиноснома ба идора муроҷиат кунед.',
    ru: 'Лицо не подтверждено, согласие не записано. Попробуйте ещё раз или обратитесь в отделение с паспортом.',
    en: 'Your face was not confirmed, so your consent was not recorded. Try again or visit the office with your passport.',
  },
} as const satisfies Record<string, Localised>;
