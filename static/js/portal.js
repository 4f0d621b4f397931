// htmx requests carry the CSRF token of the page (every page works without htmx too).
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) event.detail.headers["X-CSRFToken"] = token.value;
});

// The page-wide live region (#live-region, base.html). portal.announce("Bogotá moved to In
// dialogue") shows a short toast that screen readers read out: for confirmations of changes
// made in place, without a page load. tone: success, danger, warning or info.
window.portal = {
  announce(text, tone = "success") {
    const region = document.getElementById("live-region");
    if (!region) return;
    const toast = document.createElement("div");
    toast.className = `toast align-items-center border-0 text-bg-${tone}`;
    const row = document.createElement("div");
    row.className = "d-flex";
    const body = document.createElement("div");
    body.className = "toast-body";
    body.textContent = text;
    const close = document.createElement("button");
    close.type = "button";
    close.className = `btn-close me-2 m-auto${tone === "success" || tone === "danger" ? " btn-close-white" : ""}`;
    close.dataset.bsDismiss = "toast";
    close.setAttribute("aria-label", region.dataset.closeLabel || "Close");
    row.append(body, close);
    toast.append(row);
    region.append(toast);
    toast.addEventListener("hidden.bs.toast", () => toast.remove());
    window.bootstrap.Toast.getOrCreateInstance(toast).show();
  },
};
