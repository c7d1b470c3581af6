// Once django-otp-webauthn's script has made a passkey, go on to the page the container names
// (the new recovery codes, or back to Account security). Using a passkey it follows itself.
(function () {
  "use strict";
  document.addEventListener("otp_webauthn.register_complete", function () {
    var container = document.querySelector("[data-passkey-next]");
    if (container) { window.location.assign(container.getAttribute("data-passkey-next")); }
  });
})();
