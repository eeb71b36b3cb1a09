// What django-otp-webauthn's scripts (static django_otp_webauthn/*.js) say, in the portal's words.
// They ask a global gettext() for each message, which Django's JavaScript catalogue would give from a
// page of script made by a view; this file gives it instead, from the portal's static files. A classic
// script, so it has run before their module scripts do. A message not listed here is shown as it is.
"use strict";

const PASSKEY_WORDING = {
  // Adding a passkey (Your account).
  "Register a Passkey": "Add a passkey",
  "Registering...": "Follow your browser's instructions to make the passkey…",
  "Finishing registration...": "Adding the passkey…",
  "Registration successful!": "Passkey added.",
  "Registration aborted.": "The passkey was not added. Try again when you are ready.",
  "Registration aborted or not allowed.": "The passkey was not added: it was cancelled, or the time ran out. Try again.",
  "Registration failed. You most likely already have a Passkey registered for this site.":
    "This passkey is already on your account.",
  "Registration failed. A technical problem occurred that prevents you from registering a Passkey for this site.":
    "This browser cannot add a passkey at this address. Try another browser or device.",
  "Registration failed. An unknown error occurred.": "The passkey could not be added. Try again.",
  "Registration failed. Unable to fetch registration options from server.": "The passkey could not be added. Try again.",
  "Registration failed. The server was unable to verify this passkey.":
    "The passkey could not be checked, so it was not added. Try again.",
  "Registration failed. A server error occurred.": "The passkey could not be added. Try again.",
  "An error occurred during registration.": "The passkey could not be added. Try again.",
  // Signing in with one (the code page).
  "Verify with Passkey": "Use a passkey",
  "Verifying...": "Follow your browser's instructions to use your passkey…",
  "Finishing verification...": "Checking your passkey…",
  "Verification successful!": "Signed in.",
  "Verification aborted.": "The passkey was not used. Try again, or enter a code.",
  "Verification canceled or not allowed.":
    "The passkey was not used: it was cancelled, or the time ran out. Try again, or enter a code.",
  "Verification failed. Could not retrieve parameters from the server.":
    "Signing in with a passkey did not start. Reload the page and try again, or enter a code.",
  "Verification failed. An unknown error occurred.": "Signing in with the passkey failed. Try again, or enter a code.",
  "Verification failed. An unknown server error occurred.":
    "Signing in with the passkey failed. Try again, or enter a code.",
  "Verification failed. A server error occurred.": "Signing in with the passkey failed. Try again, or enter a code.",
  "An error occurred during verification.": "Signing in with the passkey failed. Try again, or enter a code.",
};

window.gettext = (text) => PASSKEY_WORDING[text] ?? text;
