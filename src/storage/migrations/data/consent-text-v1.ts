/**
 * The first version of the consent text (Law on Personal Data, Art. 17: written consent to biometric
 * processing; Art. 8: the subject is told the purpose, the data, the term and their rights). Plain language,
 * for elderly readers. Texts are immutable: any change is a new version.
 * Seed data of migration 002, frozen with it: a later text is a new migration, never an edit here.
 */
export const CONSENT_TEXT_V1 = {
  version: '2026-11-v1',
  purpose: 'pension-proof-of-life',
  texts: {
    en: `Consent to the use of my face for pension proof of life

I agree that the pension office may use photos of my face, a photo of my passport page and my passport details only to confirm, each period, that I am alive and that I am the person who receives my pension.

What is kept and for how long:
- my photos and the passport photo: 30 days after each check is decided;
- a digital template of my face (numbers computed from the photo, not a picture): until I withdraw this consent or my pension ends;
- the results of each check (date, decision, score, without photos): 5 years, as pension records.

My face is compared only with my own earlier photos, never searched among other people. The data is stored in Tajikistan and is not given to anyone else; only the result (checked or not) is told to the pension payment system.

My rights: I may withdraw this consent at any time (then my photos and face template are deleted and I can prove life in person at the office); I may ask what is held about me, why, for how long and who looked at it, and receive an answer within 3 working days; I may ask for my data to be corrected or destroyed.`,
    ru: `Согласие на использование изображения моего лица для подтверждения жизни (пенсия)

Я согласен(на), чтобы пенсионный орган использовал фотографии моего лица, фотографию страницы паспорта и мои паспортные данные только для того, чтобы каждый период подтверждать, что я жив(а) и что пенсию получаю именно я.

Что хранится и как долго:
- мои фотографии и фотография паспорта — 30 дней после решения по каждой проверке;
- цифровой шаблон моего лица (числа, вычисленные по фотографии, а не снимок) — пока я не отзову это согласие или пока не прекратится выплата пенсии;
- результаты проверок (дата, решение, оценка, без фотографий) — 5 лет, как пенсионные документы.

Моё лицо сравнивается только с моими же прежними фотографиями и никогда не ищется среди других людей. Данные хранятся в Таджикистане и никому не передаются; платёжной системе сообщается только результат (подтверждено или нет).

Мои права: я могу в любое время отозвать это согласие (тогда мои фотографии и шаблон лица удаляются, а подтвердить жизнь я могу лично в отделении); могу узнать, какие данные обо мне хранятся, зачем, как долго и кто их просматривал, и получить ответ в течение 3 рабочих дней; могу потребовать исправить или уничтожить мои данные.`,
    tg: `Ризоият ба истифодаи сурати чеҳраи ман барои тасдиқи зинда будан (нафақа)

Ман розӣ ҳастам, ки мақомоти нафақа аксҳои чеҳраи ман, акси саҳифаи шиноснома ва маълумоти шиносномаи маро танҳо барои он истифода барад, ки ҳар давра тасдиқ кунад, ки ман зинда ҳастам ва нафақаро худам мегирам.

Чӣ нигоҳ дошта мешавад ва то кай:
- аксҳои ман ва акси шиноснома — 30 рӯз пас аз қарор оид ба ҳар санҷиш;
- қолаби рақамии чеҳраи ман (рақамҳое, ки аз акс ҳисоб карда шудаанд, на худи акс) — то он даме, ки ман ин ризоиятро бозпас гирам ё пардохти нафақа қатъ шавад;
- натиҷаҳои санҷишҳо (сана, қарор, баҳо, бе акс) — 5 сол, ҳамчун ҳуҷҷатҳои нафақа.

Чеҳраи ман танҳо бо аксҳои пештараи худам муқоиса карда мешавад ва ҳеҷ гоҳ дар байни одамони дигар ҷустуҷӯ карда намешавад. Маълумот дар Тоҷикистон нигоҳ дошта мешавад ва ба касе дода намешавад; ба низоми пардохт танҳо натиҷа (тасдиқ шуд ё не) хабар дода мешавад.

Ҳуқуқҳои ман: ман метавонам ҳар вақт ин ризоиятро бозпас гирам (он гоҳ аксҳо ва қолаби чеҳраи ман нест карда мешаванд ва ман метавонам зинда буданамро шахсан дар идора тасдиқ кунам); метавонам бипурсам, ки дар бораи ман чӣ маълумот, бо кадом мақсад ва то кай нигоҳ дошта мешавад ва кӣ онро дидааст, ва дар давоми 3 рӯзи корӣ ҷавоб гирам; метавонам талаб кунам, ки маълумоти ман ислоҳ ё нобуд карда шавад.`,
  },
} as const;
