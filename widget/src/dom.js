// Helpers shared by the card and the feedback form (each bundle inlines its own copy).

export const warn = (e) => console.warn("[ascolto]", e);

// Build an element with attributes; children are nodes or plain text, never markup.
export const h = (tag, attrs, ...kids) => {
  const e = document.createElement(tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  e.append(...kids);
  return e;
};
