/** Entry point of the browser game: the API client for this origin, the token store, the language. */
import { ApiClient } from '@metagameplay/client';
import { isLang, type Lang, langFromBrowser, webMessages } from '@metagameplay/game';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { CrashGuard } from './components/crash-guard';
import { sessionTokenStore } from './token-store';
import './styles.css';

const LANG_KEY = 'metagameplay.lang';

function initialLang(): Lang {
  try {
    const chosen = window.sessionStorage.getItem(LANG_KEY);
    if (chosen !== null && isLang(chosen)) return chosen;
  } catch {
    // Storage refused: follow the browser.
  }
  return langFromBrowser(navigator.languages.length > 0 ? navigator.languages : [navigator.language]);
}

const tokens = sessionTokenStore(window.sessionStorage);
const api = new ApiClient({
  baseUrl: window.location.origin,
  token: tokens.load(),
  // The offline banner takes over quickly; it retries on its own after that.
  retry: { retries: 2, baseDelayMs: 200, maxDelayMs: 1000 },
});
const lang = initialLang();
const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <CrashGuard message={webMessages[lang].crashed} reload={webMessages[lang].reload}>
      <App
        api={api}
        tokens={tokens}
        initialLang={lang}
        onLangChange={(next) => {
          try {
            window.sessionStorage.setItem(LANG_KEY, next);
          } catch {
            // The choice lasts for this page only.
          }
        }}
      />
    </CrashGuard>
  </StrictMode>,
);
