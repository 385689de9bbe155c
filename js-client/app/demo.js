// The demo at the relay's root: a shared todo list and a live graph inspector, both on
// /soulgraph.js. ?list=<name> picks another list (each list is the set at soul demo/<name>).
import { Soulgraph } from '/soulgraph.js';
import { Inspector } from '/inspector.js';

const relay = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/gun`;
const db = new Soulgraph({ peers: [relay], store: 'indexeddb', name: 'soulgraph-demo' });
const listName = new URLSearchParams(location.search).get('list') || 'todos';
const listSoul = `demo/${listName}`;
const list = db.get(listSoul);
/** @type {Map<string, {title: string, done: boolean, createdAt: number}>} */
const todos = new Map();

const $ = (selector) => document.querySelector(selector);
$('#list-name').textContent = listSoul;

$('#todo-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const title = $('#new-todo').value.trim();
  if (title) {
    $('#new-todo').value = '';
    list.set({ title, done: false, createdAt: Date.now() }).catch(showError);
  }
});

list.map().on((item, key) => {
  if (item === null || typeof item !== 'object') {
    todos.delete(key);
  } else {
    todos.set(key, { title: String(item.title ?? ''), done: item.done === true,
      createdAt: Number(item.createdAt) || 0 });
  }
  renderTodos();
});

function renderTodos() {
  const items = [...todos.entries()].sort((a, b) => a[1].createdAt - b[1].createdAt);
  $('#todos').replaceChildren(...items.map(([key, todo]) => todoItem(key, todo)));
}

function todoItem(key, todo) {
  const li = document.createElement('li');
  li.dataset.key = key;
  li.className = todo.done ? 'done' : '';
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.className = 'done-box';
  box.checked = todo.done;
  box.addEventListener('change', () => db.get(key).get('done').put(box.checked).catch(showError));
  const title = document.createElement('span');
  title.className = 'title';
  title.textContent = todo.title;
  const inspect = button('inspect', 'link', () => inspector.show(key));
  const remove = button('delete', 'delete', () => list.get(key).put(null).catch(showError));
  li.append(box, title, inspect, remove);
  return li;
}

function button(text, className, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  b.className = className;
  b.addEventListener('click', onClick);
  return b;
}

function showError(error) {
  const status = $('#status');
  status.textContent = error.lack ? 'saved locally, waiting for the relay' : String(error.message);
}

const inspector = new Inspector(db, {
  form: $('#inspect-form'), input: $('#soul'), back: $('#back'),
  caption: $('#inspected'), body: $('#fields tbody'), graph: $('#graph'),
});
inspector.show(listSoul);

setInterval(() => {
  const status = $('#status');
  const queued = db.queued;
  status.className = 'status ' + (db.online ? 'online' : 'offline');
  status.textContent = (db.online ? 'online' : 'offline')
    + (queued > 0 ? ` · ${queued} write${queued === 1 ? '' : 's'} waiting` : '');
}, 300);

// For tests and the curious: the client in the console.
Object.assign(window, { soulgraph: db, inspector });
