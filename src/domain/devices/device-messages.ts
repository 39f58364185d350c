import type { Localised } from '../quality/quality-messages.js';

/** What the app shows for the device errors a pensioner can meet, in Tajik, Russian and English. */
export const DEVICE_MESSAGES = {
  ACTIVATION_CODE_INVALID: {
    tg: 'Рамз нодуруст аст ё мӯҳлаташ гузаштааст. Аз идора рамзи навро пурсед.',
    ru: 'Код неверен или истёк. Попросите новый код в отделении.',
    en: 'The code is wrong or has expired. Ask the office for a new code.',
  },
  DEVICE_LIMIT_REACHED: {
    tg: 'Ба ин нафақагир аллакай чанд телефон пайваст аст. Дар идора яке аз онҳоро хомӯш кунед.',
    ru: 'К этому пенсионеру уже привязано несколько телефонов. Отключите один из них в отделении.',
    en: 'Several phones are already linked to this pensioner. Have one of them removed at the office.',
  },
  DEVICE_LOCKED_OUT: {
    tg: 'Аз ин телефон санҷишҳо бисёр номуваффақ шуданд. Баъдтар кӯшиш кунед ё ба идора муроҷиат кунед.',
    ru: 'С этого телефона слишком много неудачных проверок. Попробуйте позже или обратитесь в отделение.',
    en: 'Too many failed checks from this phone. Try again later or visit the office.',
  },
  SELF_REGISTRATION_DISABLED: {
    tg: 'Нафақагиронро идора қайд мекунад. Бо шиносномаатон ба идора муроҷиат кунед.',
    ru: 'Пенсионеров регистрирует отделение. Обратитесь в отделение с паспортом.',
    en: 'Pensioners are registered by the office. Please visit the office with your passport.',
  },
} as const satisfies Record<string, Localised>;
