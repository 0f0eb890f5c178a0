/** Every Russian text of the console game; the `Messages` type keeps its keys in step with `en.ts`. */
import type { Messages } from './en';

export const ru: Messages = {
  title: 'MetaGameplay — Экономический симулятор Галактики',
  credits: (amount) => `${amount} кр`,
  loading: 'Связываемся с галактикой…',
  pressAnyKey: 'Нажмите любую клавишу',

  login: {
    heading: 'Назовите себя, пилот',
    nickname: 'Никнейм: ',
    password: 'Пароль: ',
    confirmPassword: 'Повторите пароль: ',
    checking: 'Проверяем документы…',
    creating: 'Регистрируем нового пилота…',
    offerCreate: (nickname) => `Пилота «${nickname}» в этой галактике нет. Создать пилота? [Y] да / [N] нет`,
    newPilotPassword: 'Придумайте пароль для нового пилота (от 8 до 128 символов).',
    confirmHint: 'Введите тот же пароль ещё раз для подтверждения.',
    passwordsDiffer: 'Пароли не совпадают — придумайте пароль заново.',
    keys: 'Enter далее · Esc назад · Ctrl+C выход',
    offerKeys: 'Y создать пилота · N выбрать другой никнейм',
    sessionExpired: 'Сессия истекла — войдите снова.',
    loggedOut: 'Вы покинули мостик. Счастливого полёта, пилот.',
  },

  validation: {
    nicknameLength: 'Никнейм — от 3 до 32 символов.',
    nicknameChars: 'В никнейме допустимы только буквы, цифры, «_» и «-».',
    passwordLength: 'Пароль — от 8 до 128 символов.',
  },

  home: {
    welcome: (nickname) => `Добро пожаловать на борт, ${nickname}!`,
    welcomeBack: (nickname) => `С возвращением, ${nickname}!`,
    bonus: (amount) => `Бонус за вход: +${amount} кредитов поступило в трюм.`,
    balance: 'Кредиты',
    power: 'Мощь',
    rating: 'Рейтинг',
    items: 'Предметы',
    menu: [
      'Магазин',
      'Инвентарь (продажа)',
      'История операций',
      'Обновить',
      'Выйти из аккаунта',
      'Лобби (пилоты в сети)',
      'Быстрый бой',
      'Мои бои',
      'Рейтинг',
      'Выход из игры',
    ],
    keys: '↑↓ выбор · Enter открыть · 1-9, 0 быстрый выбор · Q выход',
  },

  shop: {
    heading: 'Магазин',
    search: 'Поиск: ',
    searchHint: '(печатайте для поиска)',
    empty: 'В этом секторе ничего не найдено.',
    columns: { name: 'Предмет', price: 'Цена', power: 'Мощь' },
    owned: 'есть',
    page: (page, more) => `Страница ${page}${more ? ' · далее →' : ' · конец'}`,
    balance: (amount) => `Ваши кредиты: ${amount}`,
    keys: '↑↓ выбор · PgUp/PgDn страницы · печатайте для поиска · Enter купить · Esc назад',
    confirm: (name, price, after) =>
      `Купить «${name}» за ${price} кредитов? Баланс после покупки: ${after} кредитов. [Y] да / [N] нет`,
    bought: (name) => `Предмет куплен — вы становитесь сильнее! «${name}» теперь ваш.`,
    buying: 'Заключаем сделку…',
    alreadyOwned: 'У вас уже есть этот предмет.',
    cannotAfford: (need, have) => `Недостаточно кредитов: цена ${need}, у вас ${have}.`,
  },

  inventory: {
    heading: 'Инвентарь',
    empty: 'Трюм пуст. Загляните в магазин!',
    columns: { name: 'Предмет', sellPrice: 'Продажа', power: 'Мощь' },
    keys: '↑↓ выбор · PgUp/PgDn страницы · Enter продать · Esc назад',
    confirm: (name, price, after) =>
      `Продать «${name}» за ${price} кредитов? Баланс после продажи: ${after} кредитов. [Y] да / [N] нет`,
    sold: (name, amount) => `Продано — кредиты в трюме. «${name}» принёс ${amount} кредитов.`,
    selling: 'Заключаем сделку…',
  },

  history: {
    heading: 'История операций',
    empty: 'Операций пока нет.',
    columns: { when: 'Когда', type: 'Тип', amount: 'Сумма', balanceAfter: 'Баланс после', item: 'Предмет' },
    keys: '↑↓ выбор · PgUp/PgDn страницы · Esc назад',
    types: {
      login_bonus: 'бонус за вход',
      purchase: 'покупка',
      sale: 'продажа',
      battle_stake: 'ставка в бою',
      battle_payout: 'выигрыш в бою',
      battle_refund: 'возврат ставки',
      admin_grant: 'начисление',
      market_purchase: 'покупка на рынке',
      market_sale: 'продажа на рынке',
      market_fee: 'комиссия рынка',
    },
  },

  battles: {
    lobby: {
      heading: 'Лобби — пилоты в сети',
      empty: 'Сейчас в сети нет других пилотов.',
      columns: { nickname: 'Пилот', power: 'Мощь', rating: 'Рейтинг' },
      keys: '↑↓ выбор · Enter вызвать на бой · R обновить · Esc назад',
      stakePrompt: (nickname) => `Ставка против ${nickname} (кредиты, пусто = дружеский бой): `,
      stakeKeys: 'Enter отправить вызов · Esc отмена',
      sending: 'Отправляем вызов…',
      sent: (nickname, seconds) =>
        `Вызов отправлен пилоту ${nickname} — ждём ответа (осталось ${seconds} с). C — отменить.`,
      declined: (nickname) => `${nickname} отклонил вызов. Ставка вернулась.`,
      cancelled: 'Вызов отменён. Ставка вернулась.',
      expired: (nickname) => `${nickname} не ответил вовремя. Ставка вернулась.`,
    },
    badStake: 'Ставка — это сумма в кредитах, например 10 или 12.50.',
    incoming: {
      prompt: (nickname, stake, seconds) =>
        `⚔ ${nickname} вызывает вас на бой, ставка ${stake} кредитов — осталось ${seconds} с.`,
      friendly: (nickname, seconds) => `⚔ ${nickname} вызывает вас на дружеский бой — осталось ${seconds} с.`,
      keys: '[A] принять · [D] отклонить',
      more: (count) => `(ещё ${count} ждут)`,
      accepting: 'В бой…',
      declined: 'Вызов отклонён.',
    },
    quick: {
      heading: 'Быстрый бой',
      stakePrompt: 'Ставка (кредиты, пусто = дружеский бой): ',
      stakeKeys: 'Enter встать в очередь · Esc назад',
      waiting: (stake, elapsed) => `Ищем соперника со ставкой ${stake} кредитов… ${elapsed}`,
      waitingKeys: 'Esc покинуть очередь',
      left: 'Вы покинули очередь.',
    },
    result: {
      heading: 'Итог боя',
      won: 'ПОБЕДА! Вы выиграли бой.',
      lost: 'Поражение. Вы проиграли бой.',
      versus: (me, them) => `${me} против ${them}`,
      power: (mine, theirs) => `Мощь: ваша ${mine} · соперника ${theirs}`,
      odds: (chance) => `Ваши шансы были ${chance}`,
      stake: (amount) =>
        amount === '0.00' ? 'Ставка: нет (дружеский бой)' : `Ставка: ${amount} кредитов с каждого`,
      credits: (amount) => `Кредиты: ${amount}`,
      rating: (delta) => `Рейтинг: ${delta}`,
      verified: 'проверено ✓ (честная игра: сид совпадает с хешем и исходом)',
      notVerified: 'НЕ ПРОВЕРЕНО ✗ — итог не сходится со своими сидами!',
      seedHash: 'Хеш сида',
      seed: 'Сид сервера',
      clientSeeds: (challenger, opponent) => `Сиды клиентов: вызвавший ${challenger} · соперник ${opponent}`,
      keys: 'Esc / Enter назад',
    },
    history: {
      heading: 'Мои бои',
      empty: 'Боёв ещё не было — загляните в лобби!',
      columns: { when: 'Когда', opponent: 'Соперник', stake: 'Ставка', outcome: 'Итог', check: 'Проверка' },
      keys: '↑↓ выбор · PgUp/PgDn страницы · Enter подробно · Esc назад',
      outcomes: {
        won: 'победа',
        lost: 'поражение',
        pending: 'ждёт ответа',
        declined: 'отклонён',
        cancelled: 'отменён',
        expired: 'истёк',
      },
    },
    leaderboard: {
      heading: 'Рейтинг',
      empty: 'Ещё никто не сражался.',
      columns: { rank: '№', nickname: 'Пилот', rating: 'Рейтинг', power: 'Мощь', record: 'П / П' },
      keys: '↑↓ выбор · PgUp/PgDn страницы · Esc назад',
    },
    live: {
      reconnecting: 'Связь потеряна — переподключаемся…',
      tooManySockets: 'У пилота открыто слишком много окон игры: живые обновления здесь выключены.',
    },
  },

  connection: {
    retrying: (attempt, max) => `Не удаётся связаться с галактикой — повтор (${attempt}/${max})…`,
    lost: 'Не удаётся связаться с галактикой. Сервер не отвечает.',
    reconnecting: (seconds) => `Не удаётся связаться с галактикой — новая попытка через ${seconds} с…`,
    hint: (url) => `Сервер: ${url}. Он запущен? Запустите его командой "npm start".`,
    choice: '[R] повторить · [Q] выйти',
  },

  errors: {
    opponentOffline: 'Этот пилот уже не в сети.',
    battleNotPending: 'Этот вызов уже закрыт.',
    invalidOpponent: 'Нельзя вызвать на бой самого себя, пилот.',
    tooManyChallenges: 'У вас уже предел открытых вызовов (5, по одному на пилота) — дождитесь ответов.',
    playerOffline: 'Живая связь прервана — переподключаемся; попробуйте чуть позже.',
    alreadyOwned: 'У вас уже есть этот предмет.',
    insufficientFunds: (need, have) => `Недостаточно кредитов: нужно ${need}, у вас ${have}.`,
    insufficientFundsPlain: 'Недостаточно кредитов.',
    priceChanged: (price) => `Цена только что изменилась: теперь ${price} кредитов — посмотрите ещё раз.`,
    priceChangedPlain: 'Цена только что изменилась — посмотрите ещё раз.',
    notOwned: 'Этого предмета у вас нет (уже нет).',
    itemNotFound: 'Этим предметом в галактике больше не торгуют.',
    invalidCredentials: 'Неверный пароль, пилот.',
    playerNotFound: 'Пилота с таким никнеймом нет.',
    nicknameTaken: 'Этот никнейм только что заняли — выберите другой.',
    validation: 'Галактика отклонила ввод — проверьте и попробуйте снова.',
    rateLimited: (seconds) => `Слишком много попыток — подождите ${seconds} с и попробуйте снова.`,
    rateLimitedPlain: 'Слишком много попыток — подождите немного и попробуйте снова.',
    unexpected: (code) => `Что-то пошло не так (${code}). Попробуйте ещё раз.`,
  },

  cli: {
    usage:
      'Использование: npm run console -- [--server URL] [--lang en|ru]\n' +
      '  --server URL  игровой сервер (по умолчанию $METAGAMEPLAY_URL или http://127.0.0.1:8080)\n' +
      '  --lang en|ru  язык (по умолчанию из LANG, иначе английский)',
    notATerminal: 'Для MetaGameplay нужен интерактивный терминал (TTY).',
    crashed:
      'MetaGameplay столкнулся с непредвиденной проблемой и остановился. Ваши кредиты и предметы в сохранности на сервере.',
    goodbye: 'До встречи, пилот.',
  },
};
