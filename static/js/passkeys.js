// Your account: once django-otp-webauthn's script has added a passkey, the page is loaded again, so it
// lists the new passkey and says it was added (the message the server kept for this page).
document.addEventListener("otp_webauthn.register_complete", () => {
  window.location.assign(window.location.pathname + window.location.search);
});
