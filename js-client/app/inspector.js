// The live graph inspector: shows a node's fields, values and HAM states, follows links, and
// highlights fields as updates arrive.

export class Inspector {
  /**
   * @param {import('/soulgraph.js').Soulgraph} db
   * @param {{form: HTMLFormElement, input: HTMLInputElement, back: HTMLButtonElement,
   *   caption: HTMLElement, body: HTMLElement}} view
   */
  constructor(db, view) {
    this.db = db;
    this.view = view;
    this.history = [];
    this.current = null;
    this.stop = () => {};
    this.lastStates = {};
    view.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.show(view.input.value.trim());
    });
    view.back.addEventListener('click', () => {
      const previous = this.history.pop();
      if (previous) {
        this.show(previous, false);
      }
    });
  }

  /** Shows (and keeps watching) the node with this soul. */
  show(soul, remember = true) {
    if (!soul) {
      return;
    }
    if (remember && this.current && this.current !== soul) {
      this.history.push(this.current);
    }
    this.stop();
    this.current = soul;
    this.lastStates = {};
    this.view.input.value = soul;
    this.view.back.disabled = this.history.length === 0;
    this.view.caption.textContent = `${soul}: waiting for data…`;
    this.view.body.replaceChildren();
    this.stop = this.db.get(soul).on((node) => this.render(soul, node));
  }

  render(soul, node) {
    const states = node._['>'];
    const fields = Object.keys(node).filter((key) => key !== '_').sort();
    const count = `${fields.length} field${fields.length === 1 ? '' : 's'}`;
    this.view.caption.textContent = `${soul}: ${count}`;
    this.view.body.replaceChildren(...fields.map((field) => {
      const row = document.createElement('tr');
      row.dataset.field = field;
      if (this.lastStates[field] !== undefined && this.lastStates[field] !== states[field]) {
        row.className = 'fresh';
      }
      const name = cell(field);
      const value = document.createElement('td');
      const v = node[field];
      if (v !== null && typeof v === 'object') {
        const link = document.createElement('button');
        link.type = 'button';
        link.className = 'link';
        link.textContent = `→ ${v['#']}`;
        link.addEventListener('click', () => this.show(v['#']));
        value.append(link);
      } else {
        value.textContent = JSON.stringify(v);
      }
      const when = Math.abs(states[field]) < 8.64e15 ? new Date(states[field]).toISOString() : '';
      const state = cell(`${states[field]} ${when && `(${when})`}`);
      state.className = 'state';
      row.append(name, value, state);
      return row;
    }));
    this.lastStates = { ...states };
  }
}

function cell(text) {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
}
