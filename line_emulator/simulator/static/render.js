/* Renders LINE message objects (as the Messaging API receives them) into DOM elements.
 *
 * Flex layout follows LINE's Flex Message spec: keyword sizes, spacing/margin, default flex per box layout,
 * default block paddings per bubble size. Nothing from the bot is ever inserted as HTML: text goes through
 * textContent, URLs through safeUrl(), colours through safeColor().
 */
(function (global) {
  "use strict";

  const TEXT_SIZES = { xxs: 11, xs: 13, sm: 14, md: 16, lg: 19, xl: 22, xxl: 29, "3xl": 35, "4xl": 48, "5xl": 74 };
  const IMAGE_SIZES = {
    xxs: 40, xs: 60, sm: 80, md: 100, lg: 120, xl: 140, xxl: 160, "3xl": 180, "4xl": 200, "5xl": 240, full: "100%",
  };
  const SPACING = { none: 0, xs: 2, sm: 4, md: 8, lg: 12, xl: 16, xxl: 20 };
  const BORDER_WIDTHS = { none: 0, light: 0.5, normal: 1, medium: 2, "semi-bold": 3, bold: 4 };
  const BUBBLE_WIDTHS = { nano: 120, micro: 160, deca: 220, hecto: 241, kilo: 260, mega: 300, giga: 500 };
  const BUBBLE_RADIUS = { nano: 10, micro: 10, deca: 10, hecto: 10, kilo: 10, mega: 17, giga: 5 };
  const JUSTIFY = ["flex-start", "center", "flex-end", "space-between", "space-around", "space-evenly"];
  const ALIGN = ["flex-start", "center", "flex-end"];
  const GRAVITY = { top: "flex-start", center: "center", bottom: "flex-end" };
  const ALIGN_SELF = { start: "flex-start", center: "center", end: "flex-end" };
  const SEPARATOR_COLOR = "#d4d6da";
  const TEXTS = {
    unsupported: "[ข้อความประเภท “{type}” ที่โปรแกรมจำลองยังแสดงไม่ได้]",
    broken: "[แสดงข้อความนี้ไม่ได้]",
    sticker: "สติกเกอร์",
    location: "ตำแหน่งที่ตั้ง",
    openMap: "เปิดแผนที่",
    video: "วิดีโอ",
    audio: "เสียง",
  };

  /* ---------- small helpers ---------- */

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function has(obj, key) {
    return obj !== null && typeof obj === "object" && Object.prototype.hasOwnProperty.call(obj, key);
  }

  /** A CSS length from a LINE value: a keyword from `table`, "12px", "-3.5px" or "40%"; else null. */
  function len(value, table) {
    if (value === undefined || value === null || value === "") return null;
    if (table && has(table, value)) {
      const v = table[value];
      return typeof v === "number" ? v + "px" : v;
    }
    if (typeof value === "string" && /^-?\d+(\.\d+)?(px|%)$/.test(value)) return value;
    return null;
  }

  function safeColor(value) {
    return typeof value === "string" && /^#([0-9a-f]{6}|[0-9a-f]{8})$/i.test(value) ? value : null;
  }

  function safeUrl(value) {
    if (typeof value !== "string") return null;
    if (/^https?:\/\//i.test(value) || /^\/(?!\/)/.test(value)) return value;
    return null;
  }

  function ratio(value, fallback) {
    const m = typeof value === "string" && value.match(/^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/);
    if (!m || Number(m[1]) <= 0 || Number(m[2]) <= 0) return fallback;
    return [Number(m[1]), Number(m[2])];
  }

  function clickable(node, action, ctx) {
    if (!action || typeof action !== "object") return;
    node.classList.add("fx-click");
    node.addEventListener("click", function (ev) {
      ev.stopPropagation();
      ctx.onAction(action);
    });
  }

  function actionLabel(action) {
    return (action && (action.label || action.text || action.displayText)) || "";
  }

  /** Text with http(s) links made clickable; line breaks kept by the caller's white-space. */
  function linkify(node, text) {
    const pattern = /https?:\/\/[^\s<>"'「」]+/g;
    let last = 0;
    let m;
    while ((m = pattern.exec(text)) !== null) {
      let url = m[0];
      const trail = url.match(/[.,;:!?)\]]+$/);
      if (trail) url = url.slice(0, -trail[0].length);
      if (m.index > last) node.appendChild(document.createTextNode(text.slice(last, m.index)));
      const a = el("a", null, url);
      a.href = url;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      node.appendChild(a);
      last = m.index + url.length;
      pattern.lastIndex = last;
    }
    if (last < text.length) node.appendChild(document.createTextNode(text.slice(last)));
    return node;
  }

  // Shown when an image cannot be loaded: a grey frame with a picture glyph (no network, no emoji font needed).
  const PLACEHOLDER = "data:image/svg+xml," + encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 90"><rect width="120" height="90" fill="#dfe3ea"/>' +
    '<path d="M38 62l14-18 10 12 8-9 12 15z" fill="#aab2bf"/><circle cx="74" cy="34" r="6" fill="#aab2bf"/></svg>');

  /** An <img> trying each URL in turn (only http(s) or same-site ones), then the placeholder. */
  function img(urls, className, alt) {
    const node = el("img", className);
    node.alt = alt || "";
    node.loading = "lazy";
    node.decoding = "async";
    const queue = (Array.isArray(urls) ? urls : [urls]).map(safeUrl).filter(Boolean);
    function next() {
      if (queue.length) {
        node.src = queue.shift();
      } else {
        node.classList.add("broken");
        node.src = PLACEHOLDER;
      }
    }
    node.addEventListener("error", function () { if (!node.classList.contains("broken")) next(); });
    next();
    return node;
  }

  /* ---------- Flex components ---------- */

  /** Styles every component shares: flex, margin/spacing, position and offsets. */
  function placeInParent(node, c, parent, index) {
    const horizontal = parent.layout !== "vertical";
    const fixed = c.type === "icon" || c.type === "separator" || c.type === "spacer";
    const hasFlex = typeof c.flex === "number" && c.flex >= 0;
    if (c.type === "filler") {
      node.style.flex = (hasFlex ? c.flex : 1) + " 0 0px";
    } else if (fixed) {
      node.style.flex = "0 0 auto";
    } else if (horizontal) {
      const sized = c.type === "box" && len(c.width);
      const grow = sized ? 0 : hasFlex ? c.flex : 1;
      node.style.flex = grow > 0 ? grow + " 0 0px" : "0 1 auto";
    } else {
      const sized = c.type === "box" && len(c.height);
      const grow = sized ? 0 : hasFlex ? c.flex : 0;
      node.style.flex = grow > 0 ? grow + " 0 auto" : "0 0 auto";
    }

    const absolute = c.position === "absolute";
    let margin = len(c.margin, SPACING);
    const gapless = c.type === "filler" || c.type === "spacer" || parent.afterSpacer;
    if (margin === null && index > 0 && parent.spacing && !gapless) margin = parent.spacing;
    if (margin !== null && !absolute) {
      node.style[horizontal ? "marginInlineStart" : "marginTop"] = margin;
    }
    if (absolute) node.style.position = "absolute";
    const offsets = { offsetTop: "top", offsetBottom: "bottom", offsetStart: "insetInlineStart", offsetEnd: "insetInlineEnd" };
    Object.keys(offsets).forEach(function (key) {
      const v = len(c[key], SPACING);
      if (v !== null) {
        if (!absolute) node.style.position = "relative";
        node.style[offsets[key]] = v;
      }
    });
  }

  function renderBox(c, ctx, blockPadding) {
    const node = el("div", "fx-box");
    const layout = ["horizontal", "vertical", "baseline"].indexOf(c.layout) >= 0 ? c.layout : "vertical";
    node.dataset.layout = layout;
    node.style.flexDirection = layout === "vertical" ? "column" : "row";
    if (layout === "baseline") node.style.alignItems = "baseline";
    if (JUSTIFY.indexOf(c.justifyContent) >= 0) node.style.justifyContent = c.justifyContent;
    if (ALIGN.indexOf(c.alignItems) >= 0) node.style.alignItems = c.alignItems;

    const bg = safeColor(c.backgroundColor);
    if (bg) node.style.backgroundColor = bg;
    const grad = c.background;
    if (grad && grad.type === "linearGradient" && safeColor(grad.startColor) && safeColor(grad.endColor)) {
      const angle = /^-?\d+(\.\d+)?deg$/.test(grad.angle || "") ? grad.angle : "0deg";
      const stops = [grad.startColor];
      if (safeColor(grad.centerColor)) {
        stops.push(grad.centerColor + (len(grad.centerPosition) ? " " + grad.centerPosition : ""));
      }
      stops.push(grad.endColor);
      node.style.backgroundImage = "linear-gradient(" + angle + ", " + stops.join(", ") + ")";
    }
    const bw = len(c.borderWidth, BORDER_WIDTHS);
    if (bw) {
      node.style.borderStyle = "solid";
      node.style.borderWidth = bw;
      node.style.borderColor = safeColor(c.borderColor) || "#000000";
    }
    const radius = len(c.cornerRadius, SPACING);
    if (radius) node.style.borderRadius = radius;

    // Block default padding first, then the box's own padding overrides side by side.
    const pads = blockPadding ? blockPadding.slice() : [null, null, null, null];
    const all = len(c.paddingAll, SPACING);
    if (all !== null) pads.fill(all);
    [["paddingTop", 0], ["paddingEnd", 1], ["paddingBottom", 2], ["paddingStart", 3]].forEach(function (p) {
      const v = len(c[p[0]], SPACING);
      if (v !== null) pads[p[1]] = v;
    });
    if (pads[0] !== null) node.style.paddingTop = pads[0];
    if (pads[1] !== null) node.style.paddingInlineEnd = pads[1];
    if (pads[2] !== null) node.style.paddingBottom = pads[2];
    if (pads[3] !== null) node.style.paddingInlineStart = pads[3];

    ["width", "maxWidth", "height", "maxHeight"].forEach(function (k) {
      const v = len(c[k]);
      if (v !== null) node.style[k] = v;
    });

    const spacing = len(c.spacing, SPACING);
    const parent = { layout: layout, spacing: spacing && spacing !== "0px" ? spacing : null, afterSpacer: false };
    (Array.isArray(c.contents) ? c.contents : []).forEach(function (child, i) {
      const childNode = renderComponent(child, ctx);
      if (!childNode) return;
      placeInParent(childNode, child, parent, i);
      node.appendChild(childNode);
      parent.afterSpacer = child && child.type === "spacer";
    });
    clickable(node, c.action, ctx);
    return node;
  }

  function styleRun(node, c) {
    const size = len(c.size, TEXT_SIZES);
    if (size) node.style.fontSize = size;
    const color = safeColor(c.color);
    if (color) node.style.color = color;
    if (c.weight === "bold") node.style.fontWeight = "700";
    if (c.weight === "regular") node.style.fontWeight = "400";
    if (c.style === "italic") node.style.fontStyle = "italic";
    if (c.decoration === "underline" || c.decoration === "line-through") node.style.textDecoration = c.decoration;
  }

  function renderText(c, ctx) {
    const node = el("div", "fx-text");
    node.style.fontSize = len(c.size, TEXT_SIZES) || "16px";
    const p = el("p");
    styleRun(p, Object.assign({}, c, { size: null }));
    if (!safeColor(c.color)) p.style.color = "#111111";
    if (ALIGN_SELF[c.align]) p.style.textAlign = c.align === "center" ? "center" : c.align;
    if (GRAVITY[c.gravity]) node.style.justifyContent = GRAVITY[c.gravity];
    if (c.wrap === true) {
      node.classList.add("wrap");
      if (typeof c.maxLines === "number" && c.maxLines > 0) {
        node.classList.add("clamp");
        p.style.webkitLineClamp = String(c.maxLines);
      }
      const ls = len(c.lineSpacing);
      if (ls && /px$/.test(ls)) p.style.lineHeight = "calc(1.4em + " + ls + ")";
    }
    if (Array.isArray(c.contents) && c.contents.length) {
      c.contents.forEach(function (span) {
        if (!span || span.type !== "span") return;
        const s = el("span", null, span.text || "");
        styleRun(s, span);
        p.appendChild(s);
      });
    } else {
      p.textContent = typeof c.text === "string" ? c.text : "";
    }
    node.appendChild(p);
    clickable(node, c.action, ctx);
    return node;
  }

  function renderImage(c, ctx) {
    const node = el("div", "fx-image");
    node.style.alignItems = ALIGN_SELF[c.align] || "center";
    node.style.justifyContent = GRAVITY[c.gravity] || "flex-start";
    const frame = el("div", "fx-img-frame");
    frame.style.width = len(c.size, IMAGE_SIZES) || "100px";
    const r = ratio(c.aspectRatio, [1, 1]);
    frame.style.aspectRatio = r[0] + " / " + r[1];
    const bg = safeColor(c.backgroundColor);
    if (bg) frame.style.backgroundColor = bg;
    const picture = img(c.url, null, "");
    picture.style.objectFit = c.aspectMode === "cover" ? "cover" : "contain";
    frame.appendChild(picture);
    node.appendChild(frame);
    clickable(node, c.action, ctx);
    return node;
  }

  function renderIcon(c) {
    const node = el("div", "fx-icon");
    node.style.display = "block";
    node.style.lineHeight = "1";
    node.style.fontSize = len(c.size, TEXT_SIZES) || "16px";
    const r = ratio(c.aspectRatio, [1, 1]);
    const glyph = el("span");
    glyph.style.width = r[0] / r[1] + "em";
    glyph.style.height = "1em";
    const url = safeUrl(c.url);
    if (url) glyph.style.backgroundImage = 'url("' + url.replace(/["\\\n]/g, "") + '")';
    node.appendChild(glyph);
    return node;
  }

  function renderButton(c, ctx) {
    const style = ["primary", "secondary", "link"].indexOf(c.style) >= 0 ? c.style : "link";
    const node = el("div", "fx-button " + style);
    node.style.justifyContent = GRAVITY[c.gravity] || "flex-start";
    const button = el("button", null, actionLabel(c.action));
    button.type = "button";
    button.style.height = c.height === "sm" ? "40px" : "52px";
    const color = safeColor(c.color);
    if (color) button.style[style === "link" ? "color" : "backgroundColor"] = color;
    button.addEventListener("click", function (ev) {
      ev.stopPropagation();
      if (c.action) ctx.onAction(c.action);
    });
    node.appendChild(button);
    return node;
  }

  function renderVideo(c, ctx) {
    const node = el("div", "fx-video fx-click");
    const r = ratio(c.aspectRatio, [16, 9]);
    node.style.aspectRatio = r[0] + " / " + r[1];
    node.appendChild(img(c.previewUrl, null, TEXTS.video));
    node.appendChild(el("span", "play"));
    node.addEventListener("click", function (ev) {
      ev.stopPropagation();
      ctx.onAction(c.action || { type: "uri", uri: c.url });
    });
    return node;
  }

  function renderComponent(c, ctx, blockPadding) {
    if (!c || typeof c !== "object") return null;
    switch (c.type) {
      case "box": return renderBox(c, ctx, blockPadding);
      case "text": return renderText(c, ctx);
      case "image": return renderImage(c, ctx);
      case "icon": return renderIcon(c);
      case "button": return renderButton(c, ctx);
      case "video": return renderVideo(c, ctx);
      case "separator": {
        const node = el("div", "fx-separator");
        node.dataset.color = safeColor(c.color) || SEPARATOR_COLOR;
        node.style.borderColor = node.dataset.color;
        return node;
      }
      case "filler": return el("div", "fx-filler");
      case "spacer": {
        const node = el("div", "fx-spacer");
        node.dataset.size = len(c.size, SPACING) || "8px";
        return node;
      }
      default: return null;
    }
  }

  /** Separators and spacers need their parent's direction, known only once placed. */
  function finishLayout(root) {
    root.querySelectorAll(".fx-separator, .fx-spacer").forEach(function (node) {
      const parent = node.parentElement;
      const horizontal = parent && parent.dataset.layout && parent.dataset.layout !== "vertical";
      if (node.classList.contains("fx-separator")) {
        node.style[horizontal ? "borderLeftWidth" : "borderTopWidth"] = "1px";
      } else {
        node.style[horizontal ? "width" : "height"] = node.dataset.size;
      }
    });
  }

  /** Default block paddings [top, end, bottom, start] per bubble size, as LINE draws them. */
  function blockPadding(block, size, hasFooter) {
    const small = size === "nano" || size === "micro";
    const mid = size === "deca" || size === "hecto";
    if (block === "footer") return ["10px", "10px", "10px", "10px"];
    if (small) return ["10px", "10px", "10px", "10px"];
    if (size === "kilo") return ["13px", "13px", block === "body" && hasFooter ? "17px" : "13px", "13px"];
    if (mid) return ["11px", "14px", block === "body" && hasFooter ? "17px" : "13px", "14px"];
    if (block === "body") return ["19px", "20px", hasFooter ? "10px" : "20px", "20px"];
    return ["20px", "20px", "20px", "20px"];
  }

  function renderBubble(b, ctx) {
    const size = has(BUBBLE_WIDTHS, b.size) ? b.size : "mega";
    const node = el("div", "fx-bubble");
    node.style.width = BUBBLE_WIDTHS[size] + "px";
    node.style.borderRadius = BUBBLE_RADIUS[size] + "px";
    node.dataset.size = size;
    if (b.direction === "rtl") node.dir = "rtl";
    const styles = (b.styles && typeof b.styles === "object") ? b.styles : {};
    const blocks = ["header", "hero", "body", "footer"].filter(function (name) { return b[name]; });
    blocks.forEach(function (name, i) {
      const st = styles[name] || {};
      const wrap = el("div", "fx-block fx-" + name);
      const bg = safeColor(st.backgroundColor);
      if (bg) wrap.style.backgroundColor = bg;
      if (st.separator === true && i > 0) {
        wrap.style.borderTop = "1px solid " + (safeColor(st.separatorColor) || SEPARATOR_COLOR);
      }
      const padding = name === "hero" ? null : blockPadding(name, size, Boolean(b.footer));
      const content = renderComponent(b[name], ctx, b[name].type === "box" ? padding : null);
      if (content) {
        content.style.flex = name === "body" ? "1 0 auto" : "0 0 auto";
        wrap.appendChild(content);
      }
      node.appendChild(wrap);
    });
    if (b.action) {
      node.classList.add("clickable");
      node.addEventListener("click", function () { ctx.onAction(b.action); });
    }
    finishLayout(node);
    return node;
  }

  function renderFlex(message, ctx) {
    const contents = message.contents || {};
    if (contents.type === "bubble") return { node: renderBubble(contents, ctx), wide: true };
    if (contents.type === "carousel" && Array.isArray(contents.contents)) {
      const row = el("div", "scroller fx-carousel");
      contents.contents.forEach(function (b) { if (b && b.type === "bubble") row.appendChild(renderBubble(b, ctx)); });
      return { node: row, wide: true, carousel: true };
    }
    throw new Error("unknown flex container");
  }

  /* ---------- template messages ---------- */

  function templateColumn(t, ctx, fixedWidth) {
    const card = el("div", "tpl");
    if (fixedWidth) card.style.width = fixedWidth;
    const thumbUrl = safeUrl(t.thumbnailImageUrl);
    if (thumbUrl) {
      const thumb = el("div", "tpl-thumb" + (t.imageSize === "contain" ? " contain" : ""));
      thumb.style.backgroundImage = 'url("' + thumbUrl.replace(/["\\\n]/g, "") + '")';
      thumb.style.aspectRatio = t.imageAspectRatio === "square" ? "1 / 1" : "1.51 / 1";
      const bg = safeColor(t.imageBackgroundColor);
      if (bg) thumb.style.backgroundColor = bg;
      card.appendChild(thumb);
    }
    const body = el("div", "tpl-body" + (t.title ? "" : " no-title"));
    if (t.title) body.appendChild(el("div", "tpl-title", t.title));
    body.appendChild(el("div", "tpl-text", t.text || ""));
    card.appendChild(body);
    (Array.isArray(t.actions) ? t.actions : []).forEach(function (action) {
      const button = el("button", "tpl-action", actionLabel(action));
      button.type = "button";
      button.addEventListener("click", function (ev) { ev.stopPropagation(); ctx.onAction(action); });
      card.appendChild(button);
    });
    if (t.defaultAction) clickable(card, t.defaultAction, ctx);
    return card;
  }

  function renderTemplate(message, ctx) {
    const t = message.template || {};
    if (t.type === "buttons") return { node: templateColumn(t, ctx) };
    if (t.type === "confirm") {
      const card = el("div", "tpl confirm");
      const body = el("div", "tpl-body no-title");
      body.appendChild(el("div", "tpl-text", t.text || ""));
      card.appendChild(body);
      const row = el("div", "tpl-confirm-actions");
      (Array.isArray(t.actions) ? t.actions : []).forEach(function (action) {
        const button = el("button", "tpl-action", actionLabel(action));
        button.type = "button";
        button.addEventListener("click", function () { ctx.onAction(action); });
        row.appendChild(button);
      });
      card.appendChild(row);
      return { node: card };
    }
    if (t.type === "carousel" && Array.isArray(t.columns)) {
      const row = el("div", "scroller");
      const columns = t.columns.map(function (col) {
        return templateColumn(Object.assign({ imageAspectRatio: t.imageAspectRatio, imageSize: t.imageSize }, col), ctx, "250px");
      });
      columns.forEach(function (c) { row.appendChild(c); });
      return { node: row, wide: true, carousel: true };
    }
    if (t.type === "image_carousel" && Array.isArray(t.columns)) {
      const row = el("div", "scroller");
      t.columns.forEach(function (col) {
        const tile = el("button", "img-col");
        tile.type = "button";
        const url = safeUrl(col.imageUrl);
        if (url) tile.style.backgroundImage = 'url("' + url.replace(/["\\\n]/g, "") + '")';
        if (col.action && col.action.label) tile.appendChild(el("span", null, col.action.label));
        tile.addEventListener("click", function () { if (col.action) ctx.onAction(col.action); });
        row.appendChild(tile);
      });
      return { node: row, wide: true, carousel: true };
    }
    throw new Error("unknown template");
  }

  /* ---------- other message types ---------- */

  function renderImagemap(message, ctx) {
    const box = el("div", "imagemap");
    const base = safeUrl(message.baseUrl);
    // LINE fetches baseUrl/{width}; a server that ignores the suffix still has its image at baseUrl.
    const picture = img(base ? [base.replace(/\/$/, "") + "/1040", base] : [], null, message.altText || "");
    box.appendChild(picture);
    const size = message.baseSize || {};
    if (size.width > 0 && size.height > 0) {
      box.style.aspectRatio = size.width + " / " + size.height;
      (Array.isArray(message.actions) ? message.actions : []).forEach(function (action) {
        const a = action.area || {};
        const area = el("button", "area");
        area.type = "button";
        area.title = action.label || action.text || "";
        area.setAttribute("aria-label", area.title || "พื้นที่กดได้");
        area.style.left = (a.x / size.width) * 100 + "%";
        area.style.top = (a.y / size.height) * 100 + "%";
        area.style.width = (a.width / size.width) * 100 + "%";
        area.style.height = (a.height / size.height) * 100 + "%";
        area.addEventListener("click", function () {
          if (action.type === "uri") ctx.onAction({ type: "uri", uri: action.linkUri });
          else if (action.type === "message") ctx.onAction({ type: "message", text: action.text });
          else ctx.onAction(action);
        });
        box.appendChild(area);
      });
    }
    return { node: box };
  }

  /** A drawn smiley: emoji fonts are missing on some machines. */
  function stickerFace() {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 48 48");
    svg.setAttribute("class", "sticker-face");
    svg.setAttribute("aria-hidden", "true");
    [["circle", { cx: 24, cy: 24, r: 22, fill: "#ffd54f", stroke: "#f9a825", "stroke-width": 2 }],
     ["circle", { cx: 17, cy: 19, r: 3, fill: "#5d4037" }],
     ["circle", { cx: 31, cy: 19, r: 3, fill: "#5d4037" }],
     ["path", { d: "M14 28q10 10 20 0", fill: "none", stroke: "#5d4037", "stroke-width": 3, "stroke-linecap": "round" }],
    ].forEach(function (spec) {
      const shape = document.createElementNS(ns, spec[0]);
      Object.keys(spec[1]).forEach(function (k) { shape.setAttribute(k, String(spec[1][k])); });
      svg.appendChild(shape);
    });
    return svg;
  }

  function textBubble(text) {
    return linkify(el("div", "bubble tail"), text);
  }

  function textV2(message) {
    const subs = message.substitution || {};
    const text = String(message.text || "").replace(/\{([A-Za-z0-9_]{1,20})\}/g, function (all, key) {
      const s = subs[key];
      if (!s) return all;
      if (s.type === "emoji") return "😀";
      if (s.type === "mention") return s.mentionee && s.mentionee.type === "all" ? "@ทุกคน" : "@ผู้ใช้";
      return all;
    });
    return textBubble(text);
  }

  function render(message, ctx) {
    switch (message && message.type) {
      case "text": return { node: textBubble(String(message.text || "")) };
      case "textV2": return { node: textV2(message) };
      case "image": {
        const picture = img([message.previewImageUrl, message.originalContentUrl], "photo", "รูปภาพ");
        picture.addEventListener("click", function () { ctx.onImage(message.originalContentUrl || message.previewImageUrl); });
        return { node: picture };
      }
      case "sticker": {
        const tile = el("div", "sticker");
        tile.appendChild(stickerFace());
        tile.appendChild(el("div", null, TEXTS.sticker));
        tile.appendChild(el("div", null, (message.packageId || "?") + " / " + (message.stickerId || "?")));
        return { node: tile };
      }
      case "video": {
        const card = el("div", "media-card");
        const video = el("video");
        video.controls = true;
        video.preload = "none";
        const src = safeUrl(message.originalContentUrl);
        const poster = safeUrl(message.previewImageUrl);
        if (src) video.src = src;
        if (poster) video.poster = poster;
        card.appendChild(video);
        return { node: card };
      }
      case "audio": {
        const card = el("div", "media-card");
        const audio = el("audio");
        audio.controls = true;
        audio.preload = "none";
        const src = safeUrl(message.originalContentUrl);
        if (src) audio.src = src;
        card.appendChild(audio);
        return { node: card };
      }
      case "location": {
        const card = el("div", "media-card location-card");
        card.appendChild(el("b", null, message.title || TEXTS.location));
        card.appendChild(el("div", null, message.address || ""));
        const link = el("a", null, TEXTS.openMap);
        link.href = "https://www.google.com/maps?q=" + encodeURIComponent(message.latitude + "," + message.longitude);
        link.target = "_blank";
        link.rel = "noopener noreferrer";
        card.appendChild(link);
        return { node: card };
      }
      case "imagemap": return renderImagemap(message, ctx);
      case "template": return renderTemplate(message, ctx);
      case "flex": return renderFlex(message, ctx);
      default: throw new Error("unsupported");
    }
  }

  /** Renders one message; anything unknown or broken becomes its altText (or a polite Thai note). */
  function renderMessage(message, ctx) {
    try {
      return render(message, ctx);
    } catch (err) {
      const type = (message && message.type) || "?";
      const alt = message && typeof message.altText === "string" && message.altText
        ? message.altText
        : TEXTS.unsupported.replace("{type}", type);
      const node = el("div", "bubble tail alt-text", alt);
      node.dataset.type = type;
      return { node: node, fallback: true };
    }
  }

  global.KKRender = { renderMessage: renderMessage, linkify: linkify, safeUrl: safeUrl, actionLabel: actionLabel };
})(window);
