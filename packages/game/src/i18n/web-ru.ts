/** Russian texts only the browser game shows; the `WebMessages` type keeps the keys in step with `web-en.ts`. */
import type { WebMessages } from './web-en';

export const webRu: WebMessages = {
  appName: 'MetaGameplay',
  tagline: 'Экономический симулятор Галактики',
  skipToContent: 'К содержимому',
  language: 'Язык',
  loadingScreen: 'Загрузка…',
  retry: 'Повторить',
  retryNow: 'Повторить сейчас',
  close: 'Закрыть',
  yes: 'Да',
  no: 'Нет',
  cancel: 'Отмена',
  previousPage: '← Назад',
  nextPage: 'Далее →',
  page: (page) => `Страница ${page}`,
  offline: 'Галактика не отвечает — пробуем снова…',
  offlineNext: (seconds) => `Следующая попытка через ${seconds} с.`,
  screenFailed: 'Не удалось загрузить этот экран.',
  crashed: 'На борту что-то сломалось. Ваши кредиты и предметы в сохранности на сервере — обновите страницу.',
  comingSoon: 'Бои готовятся в ангаре — загляните позже.',
  reload: 'Обновить',

  nav: {
    label: 'Главное меню',
    home: 'Мостик',
    shop: 'Магазин',
    inventory: 'Инвентарь',
    history: 'История',
    lobby: 'Лобби',
    battles: 'Бои',
    leaderboard: 'Рейтинг',
    logout: 'Выйти',
    balance: 'Ваши кредиты',
  },

  login: {
    signIn: 'На взлёт',
    nickname: 'Никнейм',
    password: 'Пароль',
    confirmPassword: 'Повторите пароль',
    nicknameHint: 'От 3 до 32 букв, цифр, «_» или «-». Новый никнейм создаёт нового пилота.',
    offerCreate: (nickname) => `Пилота «${nickname}» в этой галактике нет. Создать пилота?`,
    create: 'Создать пилота',
    chooseAnother: 'Выбрать другой никнейм',
    back: 'Назад',
  },

  home: {
    bonusNone: 'Бонуса за вход сейчас нет — он вернётся после отдыха.',
    actions: 'Куда летим, пилот?',
    shopBlurb: 'Снаряжайтесь: предметы добавляют мощь.',
    inventoryBlurb: 'Продайте то, что больше не нужно.',
    historyBlurb: 'Каждый кредит — приход и расход.',
    lobbyBlurb: 'Вызовите пилотов, которые сейчас в сети.',
    leaderboardBlurb: 'Лучшие пилоты галактики.',
    battlesBlurb: 'Ваши бои, с проверкой честности.',
  },

  shop: {
    searchLabel: 'Поиск по каталогу',
    searchPlaceholder: 'Начните печатать…',
    buy: 'Купить',
    buyItem: (name) => `Купить ${name}`,
    cannotAfford: 'Не хватает кредитов',
    ownedBadge: 'Есть',
    confirmTitle: 'Подтвердите покупку',
    confirm: (name, price, after) => `Купить «${name}» за ${price} кредитов? Останется: ${after} кредитов.`,
    boughtBalance: (amount) => `Баланс: ${amount} кредитов.`,
  },

  inventory: {
    sell: 'Продать',
    sellItem: (name) => `Продать ${name}`,
    confirmTitle: 'Подтвердите продажу',
    confirm: (name, price, after) => `Продать «${name}» за ${price} кредитов? Станет: ${after} кредитов.`,
  },

  history: {
    battle: 'бой',
    battleLink: 'Открыть бой',
  },
};
