/** The dashboard's words in Tajik, Russian and English. Codes (reasons, actions) stay as they are. */
export const DASHBOARD_LANGUAGES = ['tg', 'ru', 'en'] as const;
export type DashboardLanguage = (typeof DASHBOARD_LANGUAGES)[number];

const en = {
  appName: 'Zinda — proof of life', signIn: 'Sign in', signOut: 'Sign out', username: 'User name', password: 'Password',
  badLogin: 'User name or password is wrong.', locked: 'Too many failed attempts. The account is locked for a while.',
  sessionEnded: 'Your session ended. Please sign in again.', forbidden: 'Your role does not allow this page.',
  queue: 'Review queue', subjects: 'Subjects', audit: 'Audit trail', waiting: 'cases waiting', oldestFirst: 'Oldest first',
  reason: 'Reason', from: 'From', to: 'To', filter: 'Filter', all: 'All', subject: 'Subject', kind: 'Kind', score: 'Score',
  received: 'Received', claimedBy: 'Claimed by', open: 'Open', claim: 'Claim this case', claimedByYou: 'You hold this case.',
  claimedByOther: 'Another reviewer holds this case.', nothingWaiting: 'Nothing is waiting for review.',
  caseTitle: 'Case', newSelfie: 'New selfie', document: 'Passport page', referenceSelfie: 'Enrolled selfie',
  referenceDocument: 'Enrolled passport page', imageGone: 'Deleted under the retention policy', match: 'Match',
  strong: 'Strong match', weak: 'Weak match — look carefully', none: 'No match', noScore: 'No comparison was made',
  livenessTitle: 'Liveness', frame: 'Frame', qualityGate: 'Photo quality', passiveCheck: 'Passive check',
  challengeTitle: 'Challenge', replayTitle: 'Replay', lockedUntil: 'Locked out until', passed: 'passed', failed: 'failed',
  notRun: 'not run',
  findings: 'Findings', history: 'History of attempts', decision: 'Decision', decide: 'Record decision',
  approve: 'Approve (same person)', reject: 'Reject', recapture: 'Ask for a new photo', reasonCode: 'Reason',
  comment: 'Comment (internal)', decided: 'Decision recorded.', faces: 'faces', machine: 'Machine', reviewedBy: 'Reviewed by',
  identity: 'Identity', consents: 'Consents', retention: 'Retention timers', holds: 'Legal holds', accessReport: 'Access report (Art. 22)',
  find: 'Find', pensionNumber: 'Pension number', status: 'Status', deleteAt: 'Delete at', policy: 'Policy', item: 'Item',
  chainIntact: 'Audit chain intact', chainBroken: 'AUDIT CHAIN BROKEN at entry', entries: 'entries', alerts: 'Unusual-access alerts',
  noAlerts: 'No alerts.', when: 'When', actor: 'Actor', action: 'Action', outcome: 'Outcome', target: 'Target', language: 'Language',
  onHold: 'on hold', none_: '—', watermark: 'Viewed by', region: 'Region', office: 'Office',
  campaigns: 'Campaigns', progress: 'Proved life', dueAt: 'Due', closesAt: 'Overdue after',
};
type Dict = typeof en;

const ru: Dict = {
  appName: 'Zinda — подтверждение жизни', signIn: 'Войти', signOut: 'Выйти', username: 'Имя пользователя', password: 'Пароль',
  badLogin: 'Неверное имя пользователя или пароль.', locked: 'Слишком много неудачных попыток. Учётная запись временно заблокирована.',
  sessionEnded: 'Сеанс завершён. Войдите снова.', forbidden: 'Ваша роль не даёт доступа к этой странице.',
  queue: 'Очередь проверки', subjects: 'Пенсионеры', audit: 'Журнал аудита', waiting: 'дел ожидают', oldestFirst: 'Сначала старые',
  reason: 'Причина', from: 'С', to: 'По', filter: 'Фильтр', all: 'Все', subject: 'Пенсионер', kind: 'Вид', score: 'Оценка',
  received: 'Получено', claimedBy: 'Взял', open: 'Открыть', claim: 'Взять дело', claimedByYou: 'Дело у вас.',
  claimedByOther: 'Дело у другого проверяющего.', nothingWaiting: 'Нет дел на проверку.',
  caseTitle: 'Дело', newSelfie: 'Новое селфи', document: 'Страница паспорта', referenceSelfie: 'Селфи при регистрации',
  referenceDocument: 'Паспорт при регистрации', imageGone: 'Удалено по сроку хранения', match: 'Совпадение',
  strong: 'Сильное совпадение', weak: 'Слабое совпадение — проверьте внимательно', none: 'Нет совпадения', noScore: 'Сравнение не проводилось',
  livenessTitle: 'Живость', frame: 'Кадр', qualityGate: 'Качество фото', passiveCheck: 'Пассивная проверка',
  challengeTitle: 'Задание', replayTitle: 'Повтор', lockedUntil: 'Заблокировано до', passed: 'пройдено', failed: 'не пройдено',
  notRun: 'не проводилось',
  findings: 'Замечания', history: 'История попыток', decision: 'Решение', decide: 'Записать решение',
  approve: 'Подтвердить (тот же человек)', reject: 'Отклонить', recapture: 'Запросить новое фото', reasonCode: 'Причина',
  comment: 'Комментарий (внутренний)', decided: 'Решение записано.', faces: 'лиц', machine: 'Машина', reviewedBy: 'Проверил',
  identity: 'Личные данные', consents: 'Согласия', retention: 'Сроки хранения', holds: 'Юридические запреты на удаление', accessReport: 'Отчёт о данных (ст. 22)',
  find: 'Найти', pensionNumber: 'Пенсионный номер', status: 'Статус', deleteAt: 'Удалить', policy: 'Правило', item: 'Элемент',
  chainIntact: 'Цепочка аудита цела', chainBroken: 'ЦЕПОЧКА АУДИТА НАРУШЕНА на записи', entries: 'записей', alerts: 'Сигналы о необычном доступе',
  noAlerts: 'Сигналов нет.', when: 'Когда', actor: 'Кто', action: 'Действие', outcome: 'Итог', target: 'Объект', language: 'Язык',
  onHold: 'запрет удаления', none_: '—', watermark: 'Просмотр', region: 'Регион', office: 'Отделение',
  campaigns: 'Кампании', progress: 'Подтвердили жизнь', dueAt: 'Срок', closesAt: 'Просрочено после',
};

const tg: Dict = {
  appName: 'Zinda — тасдиқи зинда будан', signIn: 'Ворид шудан', signOut: 'Баромадан', username: 'Номи корбар', password: 'Рамз',
  badLogin: 'Номи корбар ё рамз нодуруст аст.', locked: 'Кӯшишҳои ноком зиёд шуданд. Ҳисоб муваққатан баста шуд.',
  sessionEnded: 'Ҷаласа ба охир расид. Лутфан аз нав ворид шавед.', forbidden: 'Нақши шумо ба ин саҳифа иҷозат намедиҳад.',
  queue: 'Навбати санҷиш', subjects: 'Нафақахӯрон', audit: 'Дафтари аудит', waiting: 'парванда интизор', oldestFirst: 'Аввал кӯҳнаҳо',
  reason: 'Сабаб', from: 'Аз', to: 'То', filter: 'Интихоб', all: 'Ҳама', subject: 'Нафақахӯр', kind: 'Намуд', score: 'Баҳо',
  received: 'Қабул шуд', claimedBy: 'Гирифт', open: 'Кушодан', claim: 'Парвандаро гирифтан', claimedByYou: 'Парванда дар дасти шумост.',
  claimedByOther: 'Парванда дар дасти санҷишгари дигар аст.', nothingWaiting: 'Парвандае барои санҷиш нест.',
  caseTitle: 'Парванда', newSelfie: 'Селфии нав', document: 'Саҳифаи шиноснома', referenceSelfie: 'Селфии бақайдгирӣ',
  referenceDocument: 'Шиносномаи бақайдгирӣ', imageGone: 'Тибқи мӯҳлати нигоҳдорӣ нест карда шуд', match: 'Мувофиқат',
  strong: 'Мувофиқати қавӣ', weak: 'Мувофиқати суст — бодиққат бинед', none: 'Мувофиқат нест', noScore: 'Муқоиса нашуд',
  livenessTitle: 'Зинда будан', frame: 'Кадр', qualityGate: 'Сифати акс', passiveCheck: 'Санҷиши ғайрифаъол',
  challengeTitle: 'Супориш', replayTitle: 'Такрор', lockedUntil: 'Маҳдуд то', passed: 'гузашт', failed: 'нагузашт',
  notRun: 'гузаронида нашуд',
  findings: 'Мушоҳидаҳо', history: 'Таърихи кӯшишҳо', decision: 'Қарор', decide: 'Қарорро сабт кардан',
  approve: 'Тасдиқ (ҳамон шахс)', reject: 'Рад кардан', recapture: 'Акси нав талаб кардан', reasonCode: 'Сабаб',
  comment: 'Шарҳ (дохилӣ)', decided: 'Қарор сабт шуд.', faces: 'чеҳра', machine: 'Мошин', reviewedBy: 'Санҷид',
  identity: 'Маълумоти шахсӣ', consents: 'Ризоиятҳо', retention: 'Мӯҳлатҳои нигоҳдорӣ', holds: 'Манъи ҳуқуқии нест кардан', accessReport: 'Ҳисобот дар бораи маълумот (моддаи 22)',
  find: 'Ёфтан', pensionNumber: 'Рақами нафақа', status: 'Ҳолат', deleteAt: 'Нест кардан', policy: 'Қоида', item: 'Унсур',
  chainIntact: 'Занҷираи аудит солим аст', chainBroken: 'ЗАНҶИРАИ АУДИТ ВАЙРОН аст дар сабти', entries: 'сабт', alerts: 'Огоҳиҳо дар бораи дастрасии ғайриоддӣ',
  noAlerts: 'Огоҳӣ нест.', when: 'Кай', actor: 'Кӣ', action: 'Амал', outcome: 'Натиҷа', target: 'Объект', language: 'Забон',
  onHold: 'манъи нест кардан', none_: '—', watermark: 'Дид', region: 'Минтақа', office: 'Шӯъба',
  campaigns: 'Маъракаҳо', progress: 'Зинда буданро тасдиқ карданд', dueAt: 'Мӯҳлат', closesAt: 'Гузаронда пас аз',
};

export const DICTIONARY: Record<DashboardLanguage, Dict> = { en, ru, tg };
export type Words = Dict;
