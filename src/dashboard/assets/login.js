'use strict';
// Sign-in: POST /auth/login sets the HttpOnly session cookie; then back to the page asked for.
(function () {
  const i18n = window.MQ_I18N;
  const form = document.getElementById('login-form');
  const error = document.getElementById('login-error');
  const next = document.querySelector('meta[name="mq-next"]').content || '/dashboard';
  i18n.apply(document);
  document.getElementById('lang-toggle').addEventListener('click', () => {
    i18n.setLang(i18n.lang === 'zh' ? 'en' : 'zh');
    i18n.apply(document);
  });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.hidden = true;
    const body = JSON.stringify({ username: form.username.value, password: form.password.value });
    try {
      const res = await fetch('/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body, credentials: 'same-origin' });
      if (res.ok) {
        window.location.assign(next);
        return;
      }
      const json = await res.json().catch(() => ({}));
      error.textContent = res.status === 401 ? i18n.t('badCredentials') : json.message || i18n.t('loginFailed');
    } catch (err) {
      error.textContent = i18n.t('loginFailed');
    }
    error.hidden = false;
  });
})();
