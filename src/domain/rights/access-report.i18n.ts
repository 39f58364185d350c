import type { Language } from '../consent/consent.js';

/** The kinds of data the report lists, one table each. */
export type ReportCategory = 'identity' | 'images' | 'frames' | 'templates' | 'results' | 'consents';

/**
 * Every column of the report's tables. The rows are keyed by these, and each language must name every one (the
 * compiler checks), so a printed report never shows a camelCase key as a heading.
 */
export const REPORT_COLUMNS = [
  'pensionNumber', 'passportNumber', 'surname', 'givenNames', 'dateOfBirth', 'passportExpiry', 'passport',
  'kind', 'submissionId', 'storedAt', 'deleteAt', 'deletedAt', 'policy', 'source', 'model', 'status', 'createdAt', 'keptUntil',
  'decision', 'at', 'consentId', 'textVersion', 'language', 'channel', 'signedAt', 'withdrawnAt', 'fields', 'reason',
  'actor', 'role', 'action', 'purpose', 'phone', 'lastUsedAt', 'expiresAt',
] as const;
export type ReportColumn = (typeof REPORT_COLUMNS)[number];

/** A linked phone's state, as the API reports it. */
export type DeviceStatus = 'active' | 'pending' | 'revoked' | 'expired';

/** Words of the access report in the subject's language (Art. 22: an answer the subject can read). */
export const REPORT_TEXT: Record<Language, {
  title: string; intro: string; generated: string; deadline: string;
  categories: Record<ReportCategory | 'corrections', string>;
  purpose: string; noTransfers: string; accessLog: string; transfers: string; legalBasis: string; retention: string;
  deleteAt: string; untilEvent: string; deleted: string; destroyed: string; nobody: string;
  /** The phones that may act for the subject (device credentials), and what each one's state means. */
  devices: string; noDevices: string; deviceStatus: Record<DeviceStatus, string>;
  basis: Record<ReportCategory, string>;
  terms: Record<ReportCategory, string>;
  columns: Record<ReportColumn, string>;
}> = {
  en: {
    title: 'What we hold about you', intro: 'Answer to your request under Article 22 of the Law on Personal Data.',
    generated: 'Prepared', deadline: 'The law allows 3 working days; this answer was prepared at once.',
    categories: { identity: 'Identity and passport details', images: 'Photos', frames: 'Video frames of the liveness check', templates: 'Face templates', results: 'Results of checks', consents: 'Your consents', corrections: 'Corrections of your details' },
    purpose: 'Purpose: confirming for your pension that you are alive and are yourself (proof of life).',
    noTransfers: 'None. Your data has not been given to any third party.',
    accessLog: 'Who looked at your photos and face templates', transfers: 'Transfers to third parties (Art. 21)',
    legalBasis: 'Legal basis', retention: 'Kept until', deleteAt: 'deleted on', untilEvent: 'until you withdraw consent or your pension ends',
    deleted: 'deleted', destroyed: 'destroyed', nobody: 'Nobody has looked at them.',
    devices: 'Phones that may act for you', noDevices: 'No phone is linked to you.',
    deviceStatus: { active: 'linked', pending: 'waiting for your enrolment to be confirmed', revoked: 'unlinked', expired: 'expired' },
    basis: { identity: 'Pension legislation; your consent (Art. 17)', images: 'Your written consent (Art. 17)', frames: 'Your written consent (Art. 17)', templates: 'Your written consent (Art. 17)', results: 'Pension payment records (Art. 14)', consents: 'Proof of consent (Art. 17, 25)' },
    terms: { identity: 'while you receive a pension', images: '30 days after each check', frames: '1 day after each check', templates: 'until consent is withdrawn or the pension ends', results: '5 years', consents: 'as long as the law requires proof' },
    columns: {
      pensionNumber: 'Pension number', passportNumber: 'Passport number', surname: 'Surname', givenNames: 'Given names',
      dateOfBirth: 'Date of birth', passportExpiry: 'Passport valid until', passport: 'Passport details', kind: 'Kind',
      submissionId: 'Check', storedAt: 'Stored', deleteAt: 'To be deleted', deletedAt: 'Deleted', policy: 'Rule', source: 'Made from',
      model: 'Model', status: 'Status', createdAt: 'Created', keptUntil: 'Kept', decision: 'Decision', at: 'When', consentId: 'Consent',
      textVersion: 'Text version', language: 'Language', channel: 'How it was signed', signedAt: 'Signed', withdrawnAt: 'Withdrawn',
      fields: 'Fields', reason: 'Reason', actor: 'Who', role: 'Role', action: 'What', purpose: 'Purpose', phone: 'Phone', lastUsedAt: 'Last used', expiresAt: 'Valid until',
    },
  },
  ru: {
    title: 'Какие данные о вас хранятся', intro: 'Ответ на ваш запрос по статье 22 Закона о персональных данных.',
    generated: 'Подготовлено', deadline: 'Закон даёт 3 рабочих дня; этот ответ подготовлен сразу.',
    categories: { identity: 'Личные и паспортные данные', images: 'Фотографии', frames: 'Кадры видеопроверки', templates: 'Шаблоны лица', results: 'Результаты проверок', consents: 'Ваши согласия', corrections: 'Исправления ваших данных' },
    purpose: 'Цель: подтверждение для выплаты пенсии, что вы живы и что это вы (подтверждение жизни).',
    noTransfers: 'Нет. Ваши данные никому не передавались.',
    accessLog: 'Кто просматривал ваши фотографии и шаблоны лица', transfers: 'Передача третьим лицам (ст. 21)',
    legalBasis: 'Правовое основание', retention: 'Хранится до', deleteAt: 'удаление', untilEvent: 'пока вы не отзовёте согласие или не прекратится выплата пенсии',
    deleted: 'удалено', destroyed: 'уничтожено', nobody: 'Никто их не просматривал.',
    devices: 'Телефоны, которые могут действовать от вашего имени', noDevices: 'К вам не привязан ни один телефон.',
    deviceStatus: { active: 'привязан', pending: 'ждёт подтверждения вашей регистрации', revoked: 'отвязан', expired: 'срок истёк' },
    basis: { identity: 'Пенсионное законодательство; ваше согласие (ст. 17)', images: 'Ваше письменное согласие (ст. 17)', frames: 'Ваше письменное согласие (ст. 17)', templates: 'Ваше письменное согласие (ст. 17)', results: 'Документы о выплате пенсии (ст. 14)', consents: 'Доказательство согласия (ст. 17, 25)' },
    terms: { identity: 'пока вы получаете пенсию', images: '30 дней после каждой проверки', frames: '1 день после каждой проверки', templates: 'до отзыва согласия или прекращения пенсии', results: '5 лет', consents: 'пока закон требует доказательства' },
    columns: {
      pensionNumber: 'Пенсионный номер', passportNumber: 'Номер паспорта', surname: 'Фамилия', givenNames: 'Имя',
      dateOfBirth: 'Дата рождения', passportExpiry: 'Паспорт действителен до', passport: 'Паспортные данные', kind: 'Вид',
      submissionId: 'Проверка', storedAt: 'Сохранено', deleteAt: 'Будет удалено', deletedAt: 'Удалено', policy: 'Правило хранения',
      source: 'Источник', model: 'Модель', status: 'Состояние', createdAt: 'Создано', keptUntil: 'Хранится', decision: 'Решение',
      at: 'Когда', consentId: 'Согласие', textVersion: 'Версия текста', language: 'Язык', channel: 'Способ подписи',
      signedAt: 'Подписано', withdrawnAt: 'Отозвано', fields: 'Поля', reason: 'Причина', actor: 'Кто', role: 'Роль',
      action: 'Действие', purpose: 'Цель', phone: 'Телефон', lastUsedAt: 'Последнее использование', expiresAt: 'Действует до',
    },
  },
  tg: {
    title: 'Дар бораи шумо чӣ маълумот нигоҳ дошта мешавад', intro: 'Ҷавоб ба дархости шумо тибқи моддаи 22 Қонун дар бораи маълумоти шахсӣ.',
    generated: 'Омода шуд', deadline: 'Қонун 3 рӯзи корӣ медиҳад; ин ҷавоб фавран омода шуд.',
    categories: { identity: 'Маълумоти шахсӣ ва шиноснома', images: 'Аксҳо', frames: 'Кадрҳои видеои санҷиш', templates: 'Қолабҳои чеҳра', results: 'Натиҷаҳои санҷишҳо', consents: 'Ризоиятҳои шумо', corrections: 'Ислоҳи маълумоти шумо' },
    purpose: 'Мақсад: тасдиқ барои нафақа, ки шумо зинда ҳастед ва худатон ҳастед (тасдиқи зинда будан).',
    noTransfers: 'Не. Маълумоти шумо ба ҳеҷ кас дода нашудааст.',
    accessLog: 'Кӣ аксҳо ва қолабҳои чеҳраи шуморо дидааст', transfers: 'Додан ба шахсони сеюм (моддаи 21)',
    legalBasis: 'Асоси ҳуқуқӣ', retention: 'Нигоҳ дошта мешавад то', deleteAt: 'нест карда мешавад', untilEvent: 'то бозпас гирифтани ризоият ё қатъ шудани нафақа',
    deleted: 'нест карда шуд', destroyed: 'нобуд карда шуд', nobody: 'Ҳеҷ кас онҳоро надидааст.',
    devices: 'Телефонҳое, ки аз номи шумо амал карда метавонанд', noDevices: 'Ба шумо ягон телефон пайваст нест.',
    deviceStatus: { active: 'пайваст', pending: 'интизори тасдиқи бақайдгирии шумо', revoked: 'ҷудо карда шуд', expired: 'мӯҳлаташ гузашт' },
    basis: { identity: 'Қонунгузории нафақа; ризоияти шумо (моддаи 17)', images: 'Ризоияти хаттии шумо (моддаи 17)', frames: 'Ризоияти хаттии шумо (моддаи 17)', templates: 'Ризоияти хаттии шумо (моддаи 17)', results: 'Ҳуҷҷатҳои пардохти нафақа (моддаи 14)', consents: 'Далели ризоият (моддаҳои 17, 25)' },
    terms: { identity: 'то даме ки шумо нафақа мегиред', images: '30 рӯз пас аз ҳар санҷиш', frames: '1 рӯз пас аз ҳар санҷиш', templates: 'то бозпас гирифтани ризоият ё қатъ шудани нафақа', results: '5 сол', consents: 'то даме ки қонун далел талаб мекунад' },
    columns: {
      pensionNumber: 'Рақами нафақа', passportNumber: 'Рақами шиноснома', surname: 'Насаб', givenNames: 'Ном',
      dateOfBirth: 'Санаи таваллуд', passportExpiry: 'Шиноснома эътибор дорад то', passport: 'Маълумоти шиноснома', kind: 'Намуд',
      submissionId: 'Санҷиш', storedAt: 'Нигоҳ дошта шуд', deleteAt: 'Нест карда мешавад', deletedAt: 'Нест карда шуд',
      policy: 'Қоидаи нигоҳдорӣ', source: 'Манбаъ', model: 'Модел', status: 'Ҳолат', createdAt: 'Сохта шуд', keptUntil: 'Нигоҳ дошта мешавад',
      decision: 'Қарор', at: 'Кай', consentId: 'Ризоият', textVersion: 'Нусхаи матн', language: 'Забон', channel: 'Тарзи имзо',
      signedAt: 'Имзо шуд', withdrawnAt: 'Бозпас гирифта шуд', fields: 'Майдонҳо', reason: 'Сабаб', actor: 'Кӣ', role: 'Нақш',
      action: 'Амал', purpose: 'Мақсад', phone: 'Телефон', lastUsedAt: 'Охирин истифода', expiresAt: 'Эътибор дорад то',
    },
  },
};
