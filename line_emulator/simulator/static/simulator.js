/* Chat simulator page: plays one LINE user against the bot, polling the merged timeline. */
(function () {
  "use strict";

  const POLL_MS = 700;
  const TYPING_MAX_MS = 8000;
  const TZ = "Asia/Bangkok";
  const NO_OP_ACTIONS = ["location", "clipboard"];  // chips stay: these open a sheet or only explain
  // Every word the page shows, in one place.
  const T = {
    chooseUser: "เลือกผู้ใช้",
    friend: "เพื่อน",
    blockedState: "บล็อกอยู่",
    notFriend: "ยังไม่เป็นเพื่อน",
    block: "บล็อก",
    addFriend: "เพิ่มเพื่อน",
    gateNew: "เพิ่มเพื่อนเพื่อเริ่มคุยกับบัญชีนี้",
    gateBlocked: "คุณบล็อกบัญชีนี้อยู่ กด “เพิ่มเพื่อน” เพื่อเลิกบล็อกและคุยต่อ",
    noUsers: "ยังไม่มีผู้ใช้ สร้างผู้ใช้ใหม่ด้านล่างได้เลย",
    today: "วันนี้",
    yesterday: "เมื่อวาน",
    read: "อ่านแล้ว",
    failed: "ส่งไม่สำเร็จ",
    offline: "เชื่อมต่อเซิร์ฟเวอร์ไม่ได้ กำลังลองใหม่…",
    backOnline: "เชื่อมต่อได้แล้ว",
    httpError: "เกิดข้อผิดพลาด (รหัส {status}) กรุณาลองใหม่",
    userGone: "ไม่พบผู้ใช้เดิม (เซิร์ฟเวอร์อาจเริ่มใหม่) กรุณาเลือกหรือสร้างผู้ใช้",
    userId: "LINE user ID",
    copyId: "คัดลอก",
    copied: "คัดลอกรหัสผู้ใช้แล้ว",
    copyFailed: "คัดลอกไม่ได้ กรุณาเลือกรหัสแล้วคัดลอกเอง",
    makeAdmin: "ทำให้เป็นผู้ดูแล",
    roles: { admin: "ผู้ดูแลระบบ", staff: "เจ้าหน้าที่" },
    sayReady: "ใส่ข้อความจากลิงก์ไว้ในช่องพิมพ์แล้ว กด “ส่ง” ได้เลย",
    sayNeedsUser: "เลือกหรือสร้างผู้ใช้ แล้วกด “เพิ่มเพื่อน” ข้อความจากลิงก์จะรออยู่ในช่องพิมพ์",
    noClipboard: "ขออภัย โปรแกรมจำลองยังไม่รองรับปุ่มคัดลอกข้อความ",
    noVoice: "ขออภัย โปรแกรมจำลองยังไม่รองรับการส่งข้อความเสียง",
    unknownAction: "ขออภัย โปรแกรมจำลองยังไม่รองรับปุ่มประเภทนี้",
    badLink: "ขออภัย เปิดลิงก์นี้ในโปรแกรมจำลองไม่ได้",
    oaMessage: "ใส่ข้อความจากลิงก์ไว้ในช่องพิมพ์แล้ว กด “ส่ง” ได้เลย",
    pickDate: "เลือกวันที่",
    pickTime: "เลือกเวลา",
    pickDatetime: "เลือกวันที่และเวลา",
    notFriendYet: "กรุณากด “เพิ่มเพื่อน” ก่อนส่งข้อความ",
    menu: "เมนู",
    noMenuImage: "ริชเมนูนี้ยังไม่มีรูปภาพ",
  };

  const body = document.body;
  const BASE = body.dataset.base || "/simulator";
  const OA_NAME = body.dataset.oaName || "";
  const OA_AVATAR = body.dataset.avatar || "";
  const $ = function (id) { return document.getElementById(id); };
  const ui = {
    chat: $("chat"), inner: $("chat-inner"), bottom: $("bottom"), typing: $("typing"), toast: $("toast"),
    userButton: $("user-button"), userAvatar: $("user-avatar"), userName: $("user-name"),
    followButton: $("follow-button"), back: $("back-button"),
    gate: $("friend-gate"), gateText: $("gate-text"), gateFollow: $("gate-follow"),
    quick: $("quick-replies"), composer: $("composer"), input: $("message-input"), send: $("send-button"),
    photoButton: $("photo-button"), cameraButton: $("camera-button"), photoInput: $("photo-input"),
    cameraInput: $("camera-input"), menuMode: $("menu-mode"), keyboardMode: $("keyboard-mode"),
    menuBar: $("richmenu-bar"), menuToggle: $("richmenu-toggle"), menuLabel: $("richmenu-label"),
    menu: $("richmenu"), menuImage: $("richmenu-image"),
    userSheet: $("user-sheet"), userSheetClose: $("user-sheet-close"), userList: $("user-list"),
    newUserForm: $("new-user-form"), newUserName: $("new-user-name"), newUserPicture: $("new-user-picture"), newUserError: $("new-user-error"),
    pickerSheet: $("picker-sheet"), pickerForm: $("picker-form"), pickerTitle: $("picker-title"),
    pickerInput: $("picker-input"), pickerCancel: $("picker-cancel"),
    userSheetNote: $("user-sheet-note"), locationButton: $("location-button"), locationSheet: $("location-sheet"),
    locationClose: $("location-close"), placeList: $("place-list"),
    viewer: $("viewer"), viewerImage: $("viewer-image"), viewerClose: $("viewer-close"),
  };

  const state = {
    users: [],
    userId: null,
    generation: 0,
    cursor: "0-0",
    items: [],            // sorted by key
    rows: new Map(),      // item id -> row element
    following: false,
    blocked: false,
    richMenuId: null,
    richMenu: null,
    mode: "keyboard",     // "keyboard" | "menu"
    menuOpen: true,
    quickDismissed: null, // id of the message whose quick replies were used or dismissed
    waitingSince: 0,
    offline: false,
    pollTimer: null,
    busy: false,
    pinned: true,         // the chat shows its newest message: keep it so while images load and rows grow
    canMakeAdmin: body.dataset.canMakeAdmin === "1",
  };

  /* ---------- helpers ---------- */

  class SimError extends Error {
    constructor(message, data, status) { super(message); this.data = data; this.status = status; }
  }

  async function api(path, options) {
    let response;
    try {
      response = await fetch(BASE + path, Object.assign({ headers: { Accept: "application/json" } }, options || {}));
    } catch (err) {
      throw new SimError(T.offline, null, 0);
    }
    let data = null;
    try { data = await response.json(); } catch (err) { data = null; }
    if (!response.ok) {
      const message = data && typeof data.error === "string" ? data.error : T.httpError.replace("{status}", response.status);
      throw new SimError(message, data, response.status);
    }
    return data || {};
  }

  function postJson(path, payload) {
    return api(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(payload || {}),
    });
  }

  let toastTimer = null;
  function toast(message, kind) {
    ui.toast.textContent = message;
    ui.toast.className = "toast" + (kind === "error" ? " error" : "");
    ui.toast.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { ui.toast.hidden = true; }, kind === "error" ? 5000 : 3500);
  }

  const timeFormat = new Intl.DateTimeFormat("th-TH", { hour: "2-digit", minute: "2-digit", hour12: false, timeZone: TZ });
  const dayKeyFormat = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone: TZ });
  const dayFormat = new Intl.DateTimeFormat("th-TH", { weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: TZ });

  function dayKey(seconds) { return dayKeyFormat.format(new Date(seconds * 1000)); }
  function dayLabel(seconds) {
    const key = dayKey(seconds);
    const now = Date.now() / 1000;
    if (key === dayKey(now)) return T.today;
    if (key === dayKey(now - 86400)) return T.yesterday;
    return dayFormat.format(new Date(seconds * 1000));
  }

  function compareKeys(a, b) {
    for (let i = 0; i < 3; i++) {
      if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
    }
    return 0;
  }

  function initial(name) {
    const chars = Array.from((name || "?").trim());
    // Thai leading vowels (เ แ โ ใ ไ) are not a good initial: take the consonant after them.
    const first = chars.find(function (ch) { return !/[\u0E40-\u0E44\s]/.test(ch); });
    return first || "?";
  }

  function paintAvatar(node, user) {
    node.textContent = "";
    node.style.backgroundImage = "";
    if (!user) { node.textContent = "?"; return; }
    const url = KKRender.safeUrl(user.pictureUrl);
    if (url) {
      node.style.backgroundImage = 'url("' + url.replace(/["\\\n]/g, "") + '")';
    } else {
      let hash = 0;
      for (const ch of user.userId || "") hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
      node.style.backgroundColor = "hsl(" + (hash % 360) + ", 45%, 48%)";
      node.textContent = initial(user.displayName);
    }
  }

  function nearBottom() {
    const c = ui.chat;
    return c.scrollHeight - c.scrollTop - c.clientHeight < 120;
  }

  function scrollToBottom() {
    ui.chat.scrollTop = ui.chat.scrollHeight;
    state.pinned = true;
  }

  /* ---------- rendering the timeline ---------- */

  function metaNode(item) {
    const meta = document.createElement("div");
    meta.className = "meta";
    if (item.from === "user") {
      if (item.status === "sent") meta.appendChild(Object.assign(document.createElement("span"), { textContent: T.read }));
      if (item.status === "failed") {
        const failed = document.createElement("span");
        failed.className = "failed";
        failed.textContent = T.failed;
        if (item.error) failed.title = item.error;
        meta.appendChild(failed);
      }
    }
    const time = document.createElement("time");
    time.dateTime = new Date(item.at * 1000).toISOString();
    time.textContent = timeFormat.format(new Date(item.at * 1000));
    meta.appendChild(time);
    return meta;
  }

  /** Messages group under one avatar while the sender stays the same (a `sender` override is another one). */
  function senderKey(item) {
    const sender = item.message && item.message.sender;
    return item.from + (sender && typeof sender === "object" ? "|" + (sender.name || "") + "|" + (sender.iconUrl || "") : "");
  }

  function buildRow(item, prev) {
    const message = item.message || {};
    const rendered = KKRender.renderMessage(message, { onAction: performAction, onImage: openViewer });
    const first = !prev || senderKey(prev) !== senderKey(item) || dayKey(prev.at) !== dayKey(item.at);
    const row = document.createElement("div");
    row.className = "row " + (item.from === "user" ? "user" : "bot") + (first ? " first" : "") + (rendered.wide ? " wide" : "");
    row.dataset.id = item.id;
    row.dataset.type = message.type || "";
    if (item.via) row.dataset.via = item.via;
    if (rendered.fallback) row.dataset.fallback = "1";

    const col = document.createElement("div");
    col.className = "col";
    if (item.from !== "user") {
      const sender = message.sender && typeof message.sender === "object" ? message.sender : null;
      if (first) {
        const avatar = document.createElement("img");
        avatar.className = "avatar";
        avatar.alt = "";
        avatar.src = (sender && KKRender.safeUrl(sender.iconUrl)) || OA_AVATAR;
        row.appendChild(avatar);
        const name = document.createElement("div");
        name.className = "sender";
        name.textContent = (sender && sender.name) || OA_NAME;
        col.appendChild(name);
      } else {
        const space = document.createElement("div");
        space.className = "avatar-space";
        row.appendChild(space);
      }
    }
    const line = document.createElement("div");
    line.className = "line";
    if (rendered.carousel) {
      line.style.flexDirection = "column";
      line.style.alignItems = item.from === "user" ? "flex-end" : "flex-start";
      line.style.width = "100%";
    }
    if (item.status === "failed" && rendered.node.classList.contains("bubble")) rendered.node.classList.add("failed");
    line.appendChild(rendered.node);
    line.appendChild(metaNode(item));
    col.appendChild(line);
    row.appendChild(col);
    // An image that loads after its row was placed makes the row taller: if the chat was showing its newest
    // message, it still should (nearBottom() would be false by then, the new height being already counted).
    row.querySelectorAll("img").forEach(function (image) {
      image.addEventListener("load", function () { if (state.pinned) scrollToBottom(); }, { once: true });
    });
    return row;
  }

  function dateChip(item) {
    const chip = document.createElement("div");
    chip.className = "date-chip";
    chip.textContent = dayLabel(item.at);
    return chip;
  }

  function rebuild() {
    ui.inner.textContent = "";
    state.rows.clear();
    let prev = null;
    state.items.forEach(function (item) {
      if (!prev || dayKey(prev.at) !== dayKey(item.at)) ui.inner.appendChild(dateChip(item));
      const row = buildRow(item, prev);
      state.rows.set(item.id, row);
      ui.inner.appendChild(row);
      prev = item;
    });
  }

  function addItems(items) {
    if (!items || !items.length) return;
    const stick = state.pinned || nearBottom();
    let appendOnly = true;
    let newBot = false;
    let newUser = false;
    const fresh = [];
    items.forEach(function (item) {
      const existing = state.items.find(function (x) { return x.id === item.id; });
      if (existing) {
        if (existing.status !== item.status) {
          existing.status = item.status;
          existing.error = item.error;
          const row = state.rows.get(item.id);
          const meta = row && row.querySelector(".meta");
          if (meta) meta.replaceWith(metaNode(existing));
          const bubble = row && row.querySelector(".bubble");
          if (bubble) bubble.classList.toggle("failed", existing.status === "failed");
        }
        return;
      }
      fresh.push(item);
    });
    fresh.sort(function (a, b) { return compareKeys(a.key, b.key); });
    fresh.forEach(function (item) {
      const last = state.items[state.items.length - 1];
      if (last && compareKeys(item.key, last.key) < 0) appendOnly = false;
      state.items.push(item);
      if (item.from === "user") newUser = true; else newBot = true;
    });
    if (!fresh.length) return;
    if (appendOnly) {
      fresh.forEach(function (item) {
        const idx = state.items.indexOf(item);
        const prev = idx > 0 ? state.items[idx - 1] : null;
        if (!prev || dayKey(prev.at) !== dayKey(item.at)) ui.inner.appendChild(dateChip(item));
        const row = buildRow(item, prev);
        state.rows.set(item.id, row);
        ui.inner.appendChild(row);
      });
    } else {
      state.items.sort(function (a, b) { return compareKeys(a.key, b.key); });
      rebuild();
    }
    if (newBot) stopTyping();
    renderQuickReplies();
    if (stick || newUser) scrollToBottom();
  }

  function lastItem() { return state.items[state.items.length - 1] || null; }

  /* ---------- quick replies ---------- */

  function renderQuickReplies() {
    const last = lastItem();
    const qr = last && last.from === "bot" && last.message && last.message.quickReply;
    const items = qr && Array.isArray(qr.items) ? qr.items : [];
    ui.quick.textContent = "";
    if (!items.length || state.quickDismissed === last.id || !state.following) {
      ui.quick.hidden = true;
      return;
    }
    items.forEach(function (entry) {
      const action = entry && entry.action;
      if (!action) return;
      const chip = document.createElement("button");
      chip.type = "button";
      chip.className = "chip";
      const icon = KKRender.safeUrl(entry.imageUrl);
      if (icon) {
        const image = document.createElement("img");
        image.alt = "";
        image.src = icon;
        chip.appendChild(image);
      }
      const label = document.createElement("span");
      label.textContent = KKRender.actionLabel(action) || action.type;
      chip.appendChild(label);
      chip.addEventListener("click", function () {
        if (NO_OP_ACTIONS.indexOf(action.type) < 0) {  // as in LINE, the chips go once something is sent
          state.quickDismissed = last.id;
          ui.quick.hidden = true;
        }
        performAction(action);
      });
      ui.quick.appendChild(chip);
    });
    ui.quick.hidden = false;
  }

  /* ---------- typing indicator ---------- */

  let typingTimer = null;
  function startTyping() {
    state.waitingSince = Date.now();
    const stick = state.pinned || nearBottom();
    ui.typing.hidden = false;
    if (stick) scrollToBottom();
    clearTimeout(typingTimer);
    typingTimer = setTimeout(stopTyping, TYPING_MAX_MS);
  }
  function stopTyping() {
    state.waitingSince = 0;
    ui.typing.hidden = true;
    clearTimeout(typingTimer);
  }

  /* ---------- following state, users ---------- */

  function currentUser() {
    return state.users.find(function (u) { return u.userId === state.userId; }) || null;
  }

  function applyFollowing(following, blocked) {
    state.following = Boolean(following);
    state.blocked = Boolean(blocked);
    const user = currentUser();
    if (user) { user.following = state.following; user.blocked = state.blocked; }
    ui.followButton.hidden = !state.userId;
    ui.followButton.textContent = state.following ? T.block : T.addFriend;
    ui.followButton.classList.toggle("is-add", !state.following);
    ui.gate.hidden = !state.userId || state.following;
    ui.gateText.textContent = state.blocked ? T.gateBlocked : T.gateNew;
    ui.gateFollow.disabled = false;
    ui.bottom.hidden = !state.following;
    if (!state.following) stopTyping();
    renderQuickReplies();
  }

  function showUser() {
    const user = currentUser();
    ui.userName.textContent = user ? user.displayName : T.chooseUser;
    paintAvatar(ui.userAvatar, user);
  }

  async function loadUsers() {
    const data = await api("/api/users");
    state.users = Array.isArray(data.users) ? data.users : [];
    return state.users;
  }

  function renderUserList() {
    ui.userList.textContent = "";
    if (!state.users.length) {
      const empty = document.createElement("li");
      empty.className = "empty-users";
      empty.textContent = T.noUsers;
      ui.userList.appendChild(empty);
      return;
    }
    state.users.forEach(function (user) {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "user-pick" + (user.userId === state.userId ? " current" : "");
      button.dataset.userId = user.userId;
      const avatar = document.createElement("span");
      avatar.className = "sim-user-avatar";
      paintAvatar(avatar, user);
      const who = document.createElement("span");
      who.className = "who";
      who.textContent = user.displayName;
      const tag = document.createElement("span");
      tag.className = "state" + (user.following ? " friend" : user.blocked ? " blocked" : "");
      tag.textContent = user.following ? T.friend : user.blocked ? T.blockedState : T.notFriend;
      button.append(avatar, who);
      if (user.role) {
        const role = document.createElement("span");
        role.className = "state role";
        role.textContent = T.roles[user.role] || user.role;
        button.appendChild(role);
      }
      button.appendChild(tag);
      button.addEventListener("click", function () {
        closeSheet(ui.userSheet);
        selectUser(user.userId);
      });
      li.appendChild(button);
      li.appendChild(userExtra(user));
      ui.userList.appendChild(li);
    });
  }

  /** The user's LINE user id (selectable, with a copy button) and, in emulator mode, "ทำให้เป็นผู้ดูแล". */
  function userExtra(user) {
    const extra = document.createElement("div");
    extra.className = "user-extra";
    const id = document.createElement("code");
    id.className = "user-id";
    id.title = T.userId;
    id.textContent = user.userId;
    const copy = document.createElement("button");
    copy.type = "button";
    copy.className = "mini-button copy-id";
    copy.textContent = T.copyId;
    copy.setAttribute("aria-label", T.copyId + " " + T.userId + " " + user.displayName);
    copy.addEventListener("click", function () { copyText(user.userId, id); });
    extra.append(id, copy);
    if (state.canMakeAdmin && user.role !== "admin") {
      const admin = document.createElement("button");
      admin.type = "button";
      admin.className = "mini-button admin make-admin";
      admin.textContent = T.makeAdmin;
      admin.setAttribute("aria-label", T.makeAdmin + ": " + user.displayName);
      admin.addEventListener("click", function () { makeAdmin(user, admin); });
      extra.appendChild(admin);
    }
    return extra;
  }

  async function copyText(text, node) {
    try {
      await navigator.clipboard.writeText(text);
      toast(T.copied);
      return;
    } catch (err) { /* not a secure context, or no permission: fall back below */ }
    const range = document.createRange();
    range.selectNodeContents(node);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    let done = false;
    try { done = document.execCommand("copy"); } catch (err) { done = false; }
    toast(done ? T.copied : T.copyFailed, done ? null : "error");
  }

  function sheetNote(message, kind) {
    ui.userSheetNote.textContent = message;
    ui.userSheetNote.className = "sheet-note" + (kind === "error" ? " error" : "");
    ui.userSheetNote.hidden = false;
  }

  async function makeAdmin(user, button) {
    button.disabled = true;
    try {
      const data = await postJson("/api/users/" + encodeURIComponent(user.userId) + "/make-admin");
      sheetNote(data.message || "");
      toast(data.message || "");
      try { await loadUsers(); } catch (err) { /* the list refreshes next time */ }
      renderUserList();
      poll();
    } catch (err) {
      button.disabled = false;
      sheetNote(err.message, "error");
    }
  }

  async function openUserSheet() {
    ui.newUserError.hidden = true;
    ui.userSheetNote.hidden = true;
    ui.userSheet.hidden = false;
    renderUserList();
    try { await loadUsers(); renderUserList(); } catch (err) { toast(err.message, "error"); }
    if (!state.users.length) ui.newUserName.focus();
  }

  function closeSheet(sheet) { sheet.hidden = true; }

  function selectUser(userId) {
    state.generation += 1;
    state.userId = userId;
    state.cursor = "0-0";
    state.items = [];
    state.rows.clear();
    state.quickDismissed = null;
    state.richMenuId = null;
    state.richMenu = null;
    ui.inner.textContent = "";
    stopTyping();
    try { localStorage.setItem("kk-simulator-user", userId || ""); } catch (err) { /* private mode */ }
    showUser();
    const user = currentUser();
    applyFollowing(user && user.following, user && user.blocked);
    applyRichMenu();
    poll();
  }

  async function createUser(event) {
    event.preventDefault();
    const name = ui.newUserName.value.trim();
    ui.newUserError.hidden = true;
    try {
      const payload = { displayName: name };
      const picture = ui.newUserPicture.value.trim();
      if (picture) payload.pictureUrl = picture;
      const data = await postJson("/api/users", payload);
      ui.newUserName.value = "";
      ui.newUserPicture.value = "";
      try { await loadUsers(); } catch (err) { /* the new user is added below all the same */ }
      if (!state.users.some(function (u) { return u.userId === data.user.userId; })) state.users.push(data.user);
      closeSheet(ui.userSheet);
      selectUser(data.user.userId);
    } catch (err) {
      ui.newUserError.textContent = err.message;
      ui.newUserError.hidden = false;
    }
  }

  async function toggleFollow() {
    if (!state.userId || state.busy) return;
    const action = state.following ? "unfollow" : "follow";
    state.busy = true;
    ui.gateFollow.disabled = true;
    ui.followButton.disabled = true;
    try {
      const data = await postJson("/api/users/" + encodeURIComponent(state.userId) + "/" + action);
      applyFollowing(data.following, action === "unfollow");
      if (action === "follow") startTyping();
    } catch (err) {
      if (err.data && typeof err.data.following === "boolean") applyFollowing(err.data.following, !err.data.following);
      toast(err.message, "error");
    } finally {
      state.busy = false;
      ui.gateFollow.disabled = false;
      ui.followButton.disabled = false;
      poll();
    }
  }

  /* ---------- sending ---------- */

  function userPath(suffix) { return "/api/users/" + encodeURIComponent(state.userId) + suffix; }

  function afterSend(data) {
    if (data && data.item) addItems([data.item]);
    if (data && data.ok) startTyping();
  }

  async function send(requestPromise) {
    if (!state.userId) { openUserSheet(); return; }
    if (!state.following) { toast(T.notFriendYet); return; }
    try {
      afterSend(await requestPromise());
    } catch (err) {
      if (err.data && err.data.item) addItems([err.data.item]);
      toast(err.message, "error");
    }
    poll();
  }

  function sendText(text) {
    if (!text || !text.trim()) return;
    hideQuickReplies();
    return send(function () { return postJson(userPath("/text"), { text: text }); });
  }

  function sendPostback(data, displayText, params) {
    hideQuickReplies();
    const payload = { data: typeof data === "string" ? data : "" };
    if (displayText) payload.displayText = displayText;
    if (params) payload.params = params;
    return send(function () { return postJson(userPath("/postback"), payload); });
  }

  function sendImage(file) {
    if (!file) return;
    hideQuickReplies();
    const form = new FormData();
    form.append("image", file);
    return send(function () { return api(userPath("/image"), { method: "POST", body: form }); });
  }

  function openLocationSheet() {
    if (!state.userId) { openUserSheet(); return; }
    if (!state.following) { toast(T.notFriendYet); return; }
    ui.locationSheet.hidden = false;
    const first = ui.placeList.querySelector("button");
    if (first) first.focus();
  }

  function sendLocation(place) {
    closeSheet(ui.locationSheet);
    hideQuickReplies();
    return send(function () { return postJson(userPath("/location"), place); });
  }

  function hideQuickReplies() {
    const last = lastItem();
    if (last) state.quickDismissed = last.id;
    ui.quick.hidden = true;
  }

  function submitComposer() {
    const text = ui.input.value;
    if (!text.trim()) return;
    ui.input.value = "";
    autoGrow();
    sendText(text);
  }

  function autoGrow() {
    ui.input.style.height = "auto";
    ui.input.style.height = Math.min(ui.input.scrollHeight, 120) + "px";
    ui.send.disabled = !ui.input.value.trim();
  }

  /* ---------- actions ---------- */

  function performAction(action) {
    if (!action || typeof action !== "object") return;
    switch (action.type) {
      case "postback": {
        if (action.inputOption === "openKeyboard" || typeof action.fillInText === "string") {
          setMode("keyboard");
          if (typeof action.fillInText === "string") { ui.input.value = action.fillInText; autoGrow(); }
          ui.input.focus();
        } else if (action.inputOption === "openRichMenu" && state.richMenu) {
          setMode("menu", true);
        } else if (action.inputOption === "closeRichMenu" && state.richMenu) {
          setMode("menu", false);
        } else if (action.inputOption === "openVoice") {
          toast(T.noVoice);
        }
        // The deprecated `text` field, like displayText, shows as the user's message.
        sendPostback(action.data, action.displayText || action.text, null);
        return;
      }
      case "message": sendText(action.text); return;
      case "uri": openUri(action.uri || (action.altUri && action.altUri.desktop)); return;
      case "datetimepicker": openPicker(action); return;
      case "camera": ui.cameraInput.click(); return;
      case "cameraRoll": ui.photoInput.click(); return;
      case "location": openLocationSheet(); return;
      case "clipboard": toast(T.noClipboard); return;
      case "richmenuswitch":
        send(function () {
          return postJson(userPath("/richmenuswitch"), { richMenuAliasId: action.richMenuAliasId || "", data: action.data || "" });
        });
        return;
      default: toast(T.unknownAction);
    }
  }

  function openUri(uri) {
    if (typeof uri !== "string") { toast(T.badLink); return; }
    const oa = uri.match(/^https:\/\/line\.me\/R\/oaMessage\/[^/?#]+\/?\?(.*)$/);
    if (oa) {
      let text = oa[1];
      try { text = decodeURIComponent(text.replace(/\+/g, "%20")); } catch (err) { /* keep raw */ }
      setMode("keyboard");
      ui.input.value = text;
      autoGrow();
      ui.input.focus();
      toast(T.oaMessage);
      return;
    }
    if (/^(https?:|tel:|mailto:)/i.test(uri) || /^\/(?!\/)/.test(uri)) {
      window.open(uri, "_blank", "noopener");
      return;
    }
    toast(T.badLink);
  }

  let pickerAction = null;
  function openPicker(action) {
    const mode = ["date", "time", "datetime"].indexOf(action.mode) >= 0 ? action.mode : "datetime";
    pickerAction = Object.assign({}, action, { mode: mode });
    const input = ui.pickerInput;
    input.type = mode === "datetime" ? "datetime-local" : mode;
    const fix = function (v) { return typeof v === "string" ? v.replace(/t/, "T") : ""; };
    input.min = fix(action.min);
    input.max = fix(action.max);
    input.value = fix(action.initial);
    ui.pickerTitle.textContent = mode === "date" ? T.pickDate : mode === "time" ? T.pickTime : T.pickDatetime;
    ui.pickerSheet.hidden = false;
    input.focus();
  }

  function submitPicker(event) {
    event.preventDefault();
    if (!pickerAction || !ui.pickerInput.value) return;
    if (!ui.pickerInput.reportValidity()) return;
    const value = ui.pickerInput.value.slice(0, pickerAction.mode === "time" ? 5 : pickerAction.mode === "date" ? 10 : 16);
    const params = {};
    params[pickerAction.mode] = value;
    closeSheet(ui.pickerSheet);
    sendPostback(pickerAction.data, null, params);
    pickerAction = null;
  }

  function openViewer(url) {
    const safe = KKRender.safeUrl(url);
    if (!safe) return;
    ui.viewerImage.src = safe;
    ui.viewer.hidden = false;
  }

  /* ---------- rich menu ---------- */

  function setMode(mode, open) {
    state.mode = mode === "menu" && state.richMenu ? "menu" : "keyboard";
    if (typeof open === "boolean") state.menuOpen = open;
    applyRichMenu();
  }

  function applyRichMenu() {
    const menu = state.richMenu;
    const showMenu = Boolean(menu) && state.mode === "menu";
    ui.menuMode.hidden = !menu;
    ui.composer.hidden = showMenu;
    ui.menuBar.hidden = !showMenu;
    ui.menu.hidden = !showMenu || !state.menuOpen;
    ui.menuToggle.setAttribute("aria-expanded", String(showMenu && state.menuOpen));
    if (menu) ui.menuLabel.textContent = menu.chatBarText || T.menu;
  }

  function drawRichMenu() {
    const menu = state.richMenu;
    ui.menu.querySelectorAll(".richmenu-fallback, .no-image").forEach(function (n) { n.remove(); });
    if (!menu) { ui.menuImage.removeAttribute("src"); return; }
    if (menu.imageUrl) {
      ui.menuImage.hidden = false;
      ui.menuImage.src = menu.imageUrl + "?v=" + encodeURIComponent(menu.richMenuId);
      ui.menuImage.alt = menu.chatBarText || T.menu;
      return;
    }
    // No image uploaded yet: draw the areas as labelled buttons so the menu still works.
    ui.menuImage.hidden = true;
    const size = menu.size || { width: 2500, height: 1686 };
    const grid = document.createElement("div");
    grid.className = "richmenu-fallback";
    grid.style.position = "relative";
    grid.style.aspectRatio = size.width + " / " + size.height;
    (menu.areas || []).forEach(function (area) {
      const b = area.bounds || {};
      const button = document.createElement("button");
      button.type = "button";
      button.className = "plain-button";
      button.style.position = "absolute";
      button.style.left = (b.x / size.width) * 100 + "%";
      button.style.top = (b.y / size.height) * 100 + "%";
      button.style.width = (b.width / size.width) * 100 + "%";
      button.style.height = (b.height / size.height) * 100 + "%";
      button.style.borderRadius = "0";
      button.style.border = "1px solid #fff";
      button.style.lineHeight = "1.3";
      button.textContent = KKRender.actionLabel(area.action) || T.menu;
      button.addEventListener("click", function () { performAction(area.action); });
      grid.appendChild(button);
    });
    if (!(menu.areas || []).length) {
      const note = document.createElement("div");
      note.className = "no-image";
      note.textContent = T.noMenuImage;
      ui.menu.appendChild(note);
      return;
    }
    ui.menu.appendChild(grid);
  }

  async function loadRichMenu(menuId) {
    const gen = state.generation;
    const previous = state.richMenu;
    state.richMenuId = menuId;
    if (!menuId) {
      state.richMenu = null;
    } else {
      try {
        const data = await api(userPath("/richmenu"));
        if (gen !== state.generation) return;
        state.richMenu = data.richMenu || null;
      } catch (err) {
        state.richMenuId = null;  // try again on the next poll
        return;
      }
    }
    if (state.richMenu && (!previous || previous.richMenuId !== state.richMenu.richMenuId)) {
      // A newly shown menu starts as LINE shows it: the chat bar, open if the menu says "selected"; a draft in
      // the chat box (e.g. from an invitation link) keeps the keyboard, as LINE does.
      state.mode = ui.input.value.trim() ? "keyboard" : "menu";
      state.menuOpen = Boolean(state.richMenu.selected);
    }
    if (!state.richMenu) state.mode = "keyboard";
    drawRichMenu();
    applyRichMenu();
  }

  function tapRichMenu(event) {
    const menu = state.richMenu;
    if (!menu || !menu.size) return;
    const rect = ui.menuImage.getBoundingClientRect();
    if (!rect.width) return;
    const scale = rect.width / menu.size.width;
    const x = (event.clientX - rect.left) / scale;
    const y = (event.clientY - rect.top) / scale;
    const hit = (menu.areas || []).find(function (area) {
      const b = area.bounds || {};
      return x >= b.x && x < b.x + b.width && y >= b.y && y < b.y + b.height;
    });
    if (hit) performAction(hit.action);
  }

  /* ---------- polling ---------- */

  let polling = false;
  let pollAgain = false;

  /** One polling loop at a time: a call while a request is in flight asks for another round right after. */
  async function poll() {
    if (polling) { pollAgain = true; return; }
    clearTimeout(state.pollTimer);
    polling = true;
    const gen = state.generation;
    try {
      if (state.userId && !document.hidden) await pollOnce(gen);
    } finally {
      polling = false;
    }
    if (pollAgain) {
      pollAgain = false;
      poll();
      return;
    }
    if (state.userId) state.pollTimer = setTimeout(poll, POLL_MS);
  }

  async function pollOnce(gen) {
    try {
      const data = await api(userPath("/timeline?cursor=" + encodeURIComponent(state.cursor)));
      if (gen !== state.generation) return;
      state.cursor = data.cursor || state.cursor;
      if (state.offline) { state.offline = false; toast(T.backOnline); }
      if (data.following !== state.following || Boolean(data.blocked) !== state.blocked) {
        applyFollowing(data.following, data.blocked);
      }
      addItems(data.items);
      if (data.loading && state.following) startTyping();
      if ((data.richMenuId || null) !== state.richMenuId) loadRichMenu(data.richMenuId || null);
    } catch (err) {
      if (gen !== state.generation) return;
      if (err.status === 404) {
        toast(T.userGone, "error");
        state.generation += 1;
        state.userId = null;
        showUser();
        applyFollowing(false, false);
        openUserSheet();
        return;
      }
      if (!state.offline) { state.offline = true; toast(err.message, "error"); }
    }
  }

  /* ---------- wiring ---------- */

  ui.input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      submitComposer();
    }
  });
  ui.input.addEventListener("input", autoGrow);
  ui.send.addEventListener("click", submitComposer);
  ui.photoButton.addEventListener("click", function () { ui.photoInput.click(); });
  ui.cameraButton.addEventListener("click", function () { ui.cameraInput.click(); });
  [ui.photoInput, ui.cameraInput].forEach(function (input) {
    input.addEventListener("change", function () {
      const file = input.files && input.files[0];
      input.value = "";
      sendImage(file);
    });
  });
  ui.menuMode.addEventListener("click", function () { setMode("menu", true); });
  ui.keyboardMode.addEventListener("click", function () { setMode("keyboard"); ui.input.focus(); });
  ui.menuToggle.addEventListener("click", function () { setMode("menu", !state.menuOpen); });
  ui.menuImage.addEventListener("click", tapRichMenu);
  // Only the person scrolling up unpins the chat: a scroll event is dispatched a frame after our own
  // scrollToBottom, by when a loaded picture may already have made the content taller (not "near the bottom").
  let lastScrollTop = 0;
  ui.chat.addEventListener("scroll", function () {
    const top = ui.chat.scrollTop;
    if (nearBottom()) state.pinned = true;
    else if (top < lastScrollTop) state.pinned = false;
    lastScrollTop = top;
  }, { passive: true });
  if (window.ResizeObserver) {
    // Rows grow after they are placed (images, fonts, Flex layout), and the chat shrinks when quick replies or the
    // rich menu open: stay at the newest message if we were there.
    const keepPinned = new ResizeObserver(function () { if (state.pinned) scrollToBottom(); });
    keepPinned.observe(ui.inner);
    keepPinned.observe(ui.chat);
  }
  ui.locationButton.addEventListener("click", openLocationSheet);
  ui.locationClose.addEventListener("click", function () { closeSheet(ui.locationSheet); });
  ui.placeList.querySelectorAll(".place-pick").forEach(function (button) {
    button.addEventListener("click", function () {
      sendLocation({
        title: button.dataset.title, address: button.dataset.address,
        latitude: Number(button.dataset.latitude), longitude: Number(button.dataset.longitude),
      });
    });
  });
  ui.userButton.addEventListener("click", openUserSheet);
  ui.back.addEventListener("click", openUserSheet);
  ui.userSheetClose.addEventListener("click", function () { closeSheet(ui.userSheet); });
  ui.newUserForm.addEventListener("submit", createUser);
  ui.followButton.addEventListener("click", toggleFollow);
  ui.gateFollow.addEventListener("click", toggleFollow);
  ui.pickerForm.addEventListener("submit", submitPicker);
  ui.pickerCancel.addEventListener("click", function () { closeSheet(ui.pickerSheet); pickerAction = null; });
  ui.toast.addEventListener("click", function () { ui.toast.hidden = true; });
  ui.viewerClose.addEventListener("click", function () { ui.viewer.hidden = true; });
  ui.viewer.addEventListener("click", function (event) { if (event.target === ui.viewer) ui.viewer.hidden = true; });
  [ui.userSheet, ui.pickerSheet, ui.locationSheet].forEach(function (sheet) {
    sheet.addEventListener("click", function (event) { if (event.target === sheet) closeSheet(sheet); });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    [ui.userSheet, ui.pickerSheet, ui.locationSheet].forEach(closeSheet);
    ui.viewer.hidden = true;
  });
  document.addEventListener("visibilitychange", function () { if (!document.hidden) poll(); });

  /** `/simulator?say=…` (an invitation link in emulator mode, like LINE's oaMessage link) types that text in. */
  function takeSay() {
    let say = null;
    try { say = new URLSearchParams(window.location.search).get("say"); } catch (err) { say = null; }
    if (!say || !say.trim()) return false;
    ui.input.value = say.slice(0, 5000);
    try { window.history.replaceState(null, "", window.location.pathname); } catch (err) { /* keep the URL */ }
    return true;
  }

  async function start() {
    const said = takeSay();
    autoGrow();
    applyFollowing(false, false);
    ui.followButton.hidden = true;
    ui.gate.hidden = true;
    let saved = null;
    try { saved = localStorage.getItem("kk-simulator-user"); } catch (err) { saved = null; }
    try {
      await loadUsers();
    } catch (err) {
      toast(err.message, "error");
    }
    if (saved && state.users.some(function (u) { return u.userId === saved; })) {
      selectUser(saved);
      if (said) toast(state.following ? T.sayReady : T.sayNeedsUser);
    } else {
      showUser();
      openUserSheet();
      if (said) sheetNote(T.sayNeedsUser);
    }
  }

  start();
})();
