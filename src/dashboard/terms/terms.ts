import type { Phrase } from './reasons.js';

/**
 * The dashboard's fixed vocabularies (statuses, kinds, roles, audit actions, ...) as words, in English, Russian and
 * Tajik. The codes stay in the data and in a tooltip; a reviewer reads the words.
 */
export const TERMS = {
  status: {
    queued: ['Waiting to be processed', 'Ожидает обработки', 'Дар навбати коркард'],
    processing: ['Being processed', 'Обрабатывается', 'Коркард мешавад'],
    completed: ['Processed', 'Обработано', 'Коркард шуд'],
    failed: ['Processing failed', 'Обработка не удалась', 'Коркард нашуд'],
  },
  decision: {
    verified: ['Confirmed: alive and the same person', 'Подтверждено: жив, тот же человек', 'Тасдиқ шуд: зинда ва ҳамон шахс'],
    needs_review: ['Needs a person to decide', 'Нужно решение человека', 'Қарори одам лозим аст'],
    rejected: ['Rejected', 'Отклонено', 'Рад шуд'],
  },
  outcome: {
    approve: ['Approved (same person)', 'Подтверждено (тот же человек)', 'Тасдиқ шуд (ҳамон шахс)'],
    reject: ['Rejected', 'Отклонено', 'Рад шуд'],
    recapture: ['New photo asked for', 'Запрошено новое фото', 'Акси нав талаб шуд'],
  },
  kind: {
    enrollment: ['Registration', 'Регистрация', 'Бақайдгирӣ'],
    verification: ['Proof of life', 'Подтверждение жизни', 'Тасдиқи зинда будан'],
  },
  role: {
    reviewer: ['reviewer', 'проверяющий', 'санҷишгар'],
    operator: ['operator', 'оператор', 'оператор'],
    auditor: ['auditor', 'аудитор', 'аудитор'],
    admin: ['administrator', 'администратор', 'маъмур'],
    'mobile-client': ['mobile app', 'мобильное приложение', 'барномаи мобилӣ'],
  },
  auditOutcome: {
    success: ['done', 'выполнено', 'иҷро шуд'],
    denied: ['refused', 'отказано', 'рад шуд'],
    failure: ['failed', 'ошибка', 'хато'],
    alert: ['alert', 'тревога', 'огоҳӣ'],
  },
  actorType: {
    'api-key': ['Connected system', 'Подключённая система', 'Системаи пайвастшуда'],
    staff: ['Staff member', 'Сотрудник', 'Корманд'],
    system: ['The service itself', 'Сама система', 'Худи система'],
    anonymous: ['Unknown caller', 'Неизвестный', 'Номаълум'],
  },
  subjectStatus: {
    active: ['Active', 'Активен', 'Фаъол'],
    closed: ['Closed', 'Закрыт', 'Баста'],
    erased: ['Data destroyed', 'Данные уничтожены', 'Маълумот нест карда шуд'],
  },
  consentStatus: {
    active: ['in force', 'действует', 'амал мекунад'],
    withdrawn: ['withdrawn', 'отозвано', 'бозхонда шуд'],
  },
  channel: {
    'mobile-app-signature': ['signed in the mobile app', 'подписано в мобильном приложении', 'дар барномаи мобилӣ имзо шуд'],
    'e-signature': ['electronic signature', 'электронная подпись', 'имзои электронӣ'],
    'paper-scan': ['paper form, scanned', 'бумажный бланк, скан', 'варақаи коғазӣ, скан'],
  },
  item: {
    selfie_image: ['Selfie photo', 'Фото селфи', 'Акси селфи'],
    document_image: ['Passport page photo', 'Фото страницы паспорта', 'Акси саҳифаи шиноснома'],
    liveness_frame: ['Challenge frame', 'Кадр задания', 'Кадри супориш'],
    reference_template: ['Face sample for comparison', 'Образец лица для сравнения', 'Намунаи чеҳра барои муқоиса'],
    result: ['Decision and scores', 'Решение и оценки', 'Қарор ва баҳоҳо'],
  },
  challengeAction: {
    turn_left: ['turn left', 'поворот влево', 'ба чап гардиш'],
    turn_right: ['turn right', 'поворот вправо', 'ба рост гардиш'],
    blink: ['blink', 'моргнуть', 'мижа задан'],
    open_mouth: ['open the mouth', 'открыть рот', 'даҳон кушодан'],
  },
  livenessVerdict: {
    live: ['a live person', 'живой человек', 'одами зинда'],
    uncertain: ['not sure', 'неясно', 'номуайян'],
    attack: ['a photo, screen or mask', 'фото, экран или маска', 'акс, экран ё ниқоб'],
  },
  fieldVerdict: {
    match: ['agrees', 'совпадает', 'мувофиқ'],
    mismatch: ['differs', 'не совпадает', 'мувофиқ нест'],
    unverified: ['not checked', 'не проверено', 'санҷида нашуд'],
  },
  field: {
    number: ['Document number', 'Номер документа', 'Рақами ҳуҷҷат'],
    surname: ['Surname', 'Фамилия', 'Насаб'],
    givenNames: ['Given names', 'Имя', 'Ном'],
    dateOfBirth: ['Date of birth', 'Дата рождения', 'Санаи таваллуд'],
    expiryDate: ['Valid until', 'Действителен до', 'Эътибор то'],
  },
  comparedSource: {
    // Results decided before the gallery named the registration selfie `selfie`.
    selfie: ['Selfie at registration', 'Селфи при регистрации', 'Селфии бақайдгирӣ'],
    enrollment: ['Selfie at registration', 'Селфи при регистрации', 'Селфии бақайдгирӣ'],
    verification: ['Selfie from an earlier proof of life', 'Селфи прошлого подтверждения жизни', 'Селфии тасдиқи қаблии зинда будан'],
    document: ['Passport portrait', 'Портрет в паспорте', 'Акси шиноснома'],
  },
  fusionRule: {
    min: ['the closest reference decides', 'решает самый похожий образец', 'намунаи аз ҳама монанд ҳал мекунад'],
    mean: ['the average over all references', 'среднее по всем образцам', 'миёна аз рӯи ҳамаи намунаҳо'],
    'mean-best-2': ['the average of the two closest references', 'среднее двух самых похожих образцов', 'миёнаи ду намунаи аз ҳама монанд'],
  },
  referenceApproval: {
    joined: ['kept: later checks compare with it too', 'сохранено: следующие проверки сравнивают и с ним', 'нигоҳ дошта шуд: санҷишҳои оянда бо он низ муқоиса мекунанд'],
    refused_by_guard: ['not kept: it does not match the registration photos closely enough', 'не сохранено: недостаточно похоже на фото при регистрации', 'нигоҳ дошта нашуд: ба аксҳои бақайдгирӣ кофӣ монанд нест'],
    no_consent: ["not kept: the pensioner's consent does not allow keeping face samples", 'не сохранено: согласие пенсионера не разрешает хранить образцы лица', 'нигоҳ дошта нашуд: ризоияти нафақахӯр нигоҳ доштани намунаҳои чеҳраро иҷозат намедиҳад'],
    no_candidate: ['not kept: this check has no usable selfie to keep', 'не сохранено: в этой проверке нет пригодного селфи', 'нигоҳ дошта нашуд: дар ин санҷиш селфии мувофиқ нест'],
  },
  campaignStatus: {
    draft: ['draft', 'черновик', 'тарҳ'],
    running: ['running', 'идёт', 'дар ҷараён'],
    paused: ['paused', 'приостановлена', 'боздошта шуд'],
    closed: ['closed', 'закрыта', 'баста'],
    cancelled: ['cancelled', 'отменена', 'бекор шуд'],
  },
  memberState: {
    invited: ['Invited', 'Приглашены', 'Даъват шуданд'],
    verified: ['Proved life', 'Подтвердили жизнь', 'Зинда буданро тасдиқ карданд'],
    needs_review: ['Waiting for a reviewer', 'Ждут проверки', 'Интизори санҷиш'],
    rejected: ['Rejected', 'Отклонены', 'Рад шуданд'],
    overdue: ['Overdue', 'Просрочили', 'Мӯҳлатро гузарониданд'],
    exempt: ['Exempt', 'Освобождены', 'Озод карда шуданд'],
    verified_in_person: ['Came to the office', 'Пришли в отделение', 'Ба шӯъба омаданд'],
  },
  error: {
    CASE_NOT_AVAILABLE: ['This case is decided already, or another reviewer holds it.', 'Дело уже решено или его взял другой проверяющий.', 'Парванда аллакай ҳал шудааст ё онро санҷишгари дигар гирифтааст.'],
    CASE_NOT_CLAIMED: ['Take the case before deciding it (or it was decided already).', 'Возьмите дело, прежде чем решать (или оно уже решено).', 'Пеш аз қарор парвандаро гиред (ё он аллакай ҳал шудааст).'],
    REVIEW_REASON_INVALID: ['Choose one of the listed reasons.', 'Выберите одну из причин в списке.', 'Яке аз сабабҳои рӯйхатро интихоб кунед.'],
    CASE_NOT_FOUND: ['There is no such case.', 'Такого дела нет.', 'Чунин парванда нест.'],
    SUBMISSION_NOT_FOUND: ['There is no such case.', 'Такого дела нет.', 'Чунин парванда нест.'],
    IMAGE_NOT_FOUND: ['There is no such photo on this case.', 'В этом деле нет такого фото.', 'Дар ин парванда чунин акс нест.'],
    IMAGE_DELETED: ['The photo was deleted under the retention policy.', 'Фото удалено по сроку хранения.', 'Акс тибқи мӯҳлати нигоҳдорӣ нест карда шуд.'],
    SUBJECT_NOT_FOUND: ['No pensioner with this number.', 'Пенсионера с таким номером нет.', 'Нафақахӯр бо ин рақам нест.'],
    FORM_EXPIRED: ['The form expired. Reload the page and try again.', 'Форма устарела. Обновите страницу и попробуйте снова.', 'Шакл кӯҳна шуд. Саҳифаро нав кунед ва боз кӯшиш кунед.'],
    PAGE_NOT_FOUND: ['There is no such page.', 'Такой страницы нет.', 'Чунин саҳифа нест.'],
    OTHER: ['The request could not be done.', 'Запрос не выполнен.', 'Дархост иҷро нашуд.'],
  },
} satisfies Record<string, Record<string, Phrase>>;

export type TermGroup = keyof typeof TERMS;
