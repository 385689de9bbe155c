// The live graph inspector: draws the inspected node and its neighbourhood (the nodes it links to,
// and the links among them) with cytoscape, beside a table of its fields, values and HAM states.
// Everything updates as changes arrive; clicking a node or a link walks the graph.

/** @typedef {{ id: string, label: string, inspected: boolean }} DrawnNode */
/** @typedef {{ id: string, source: string, target: string, label: string }} DrawnEdge */

const LABEL_FIELDS = ['title', 'name', 'label'];
const MAX_NEIGHBOURS = 60;

export class Inspector {
  /**
   * @param {import('/soulgraph.js').Soulgraph} db
   * @param {{form: HTMLFormElement, input: HTMLInputElement, back: HTMLButtonElement,
   *   caption: HTMLElement, body: HTMLElement, graph: HTMLElement}} view
   */
  constructor(db, view) {
    this.db = db;
    this.view = view;
    /** @type {string[]} */
    this.history = [];
    /** @type {string | null} */
    this.current = null;
    /** @type {Record<string, any> | null} the inspected node as last seen */
    this.node = null;
    /** @type {Map<string, {node: Record<string, any> | null, stop: () => void}>} */
    this.neighbours = new Map();
    this.stop = () => {};
    this.lastStates = {};
    /** The cytoscape instance once the library loaded (it is served by the relay). */
    this.cy = null;
    this.drawn = '';
    this.ready = import('/cytoscape.js')
      .then((module) => this.startDrawing(module.default))
      .catch(() => { view.graph.hidden = true; }); // a relay built without the bundle: table only
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

  startDrawing(cytoscape) {
    this.cy = cytoscape({
      container: this.view.graph,
      autoungrabify: true,
      boxSelectionEnabled: false,
      minZoom: 0.3,
      maxZoom: 1.4,
      style: [
        { selector: 'node', style: {
          'background-color': '#5b8def', label: 'data(label)', color: '#1d2330',
          'font-size': 11, 'text-valign': 'bottom', 'text-margin-y': 4, width: 26, height: 26,
          'text-wrap': 'ellipsis', 'text-max-width': '110px', 'text-background-color': '#fbfcfe',
          'text-background-opacity': 0.85, 'text-background-padding': '1px' } },
        { selector: 'node[?inspected]', style: {
          'background-color': '#e8590c', width: 38, height: 38, 'font-weight': 'bold',
          'text-valign': 'top', 'text-margin-y': -4 } },
        { selector: 'edge', style: {
          width: 3, 'line-color': '#9aa5b8', 'target-arrow-color': '#9aa5b8',
          'target-arrow-shape': 'triangle', 'curve-style': 'bezier', label: 'data(label)',
          'font-size': 9, color: '#556', 'text-rotation': 'autorotate',
          'text-wrap': 'ellipsis', 'text-max-width': '90px',
          'text-background-color': '#fff', 'text-background-opacity': 0.8 } },
      ],
    });
    this.cy.on('tap', 'node', (event) => this.show(event.target.id()));
    this.draw();
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
    this.neighbours.forEach((neighbour) => neighbour.stop());
    this.neighbours.clear();
    this.current = soul;
    this.node = null;
    this.lastStates = {};
    this.view.input.value = soul;
    this.view.back.disabled = this.history.length === 0;
    this.view.caption.textContent = `${soul}: asking the relay…`;
    this.view.caption.classList.remove('missing');
    this.view.body.replaceChildren();
    this.draw();
    this.stop = this.db.get(soul).on((node) => {
      if (this.current === soul) {
        this.node = node;
        this.render(soul, node);
      }
    });
    this.db.ready.then(() => this.db.fetch(soul)).then((answer) => {
      if (this.current !== soul || this.node) {
        return;
      }
      this.view.caption.classList.add('missing');
      this.view.caption.textContent = answer === 'answered'
        ? `${soul}: not found (the relay has no node with this soul)`
        : `${soul}: not in this browser, and the relay is ${answer === 'offline'
          ? 'not connected' : 'not answering'}`;
    });
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
    this.watchNeighbours(links(node).map((link) => link.target));
    this.draw();
  }

  /** Keeps one live subscription per linked node (for its label and its own links). */
  watchNeighbours(souls) {
    const wanted = new Set(souls.filter((soul) => soul !== this.current).slice(0, MAX_NEIGHBOURS));
    this.neighbours.forEach((neighbour, soul) => {
      if (!wanted.has(soul)) {
        neighbour.stop();
        this.neighbours.delete(soul);
      }
    });
    for (const soul of wanted) {
      if (!this.neighbours.has(soul)) {
        const neighbour = { node: null, stop: () => {} };
        this.neighbours.set(soul, neighbour);
        neighbour.stop = this.db.get(soul).on((node) => {
          neighbour.node = node;
          this.draw();
        });
      }
    }
  }

  /** The nodes and edges to draw: the inspected node, its neighbours, the links among them. */
  graph() {
    /** @type {DrawnNode[]} */
    const nodes = [];
    /** @type {DrawnEdge[]} */
    const edges = [];
    if (!this.current) {
      return { nodes, edges };
    }
    nodes.push({ id: this.current, label: label(this.current, this.node), inspected: true });
    this.neighbours.forEach((neighbour, soul) => {
      nodes.push({ id: soul, label: label(soul, neighbour.node), inspected: false });
    });
    const shown = new Set(nodes.map((node) => node.id));
    const from = [[this.current, this.node], ...[...this.neighbours].map(([s, n]) => [s, n.node])];
    for (const [source, node] of from) {
      for (const { field, target } of node ? links(node) : []) {
        if (shown.has(target)) {
          edges.push({ id: `${source}\u0000${field}`, source, target, label: field });
        }
      }
    }
    return { nodes, edges };
  }

  /** Brings the drawing in line with graph(); lays it out again only when nodes come or go. */
  draw() {
    const cy = this.cy;
    if (!cy) {
      return;
    }
    const { nodes, edges } = this.graph();
    const shape = JSON.stringify([nodes.map((n) => n.id).sort(), edges.map((e) => e.id).sort()]);
    cy.batch(() => {
      const wanted = new Set([...nodes.map((n) => n.id), ...edges.map((e) => e.id)]);
      cy.elements().filter((element) => !wanted.has(element.id())).remove();
      for (const node of nodes) {
        const existing = cy.getElementById(node.id);
        if (existing.nonempty()) {
          existing.data(node);
        } else {
          cy.add({ group: 'nodes', data: node });
        }
      }
      for (const edge of edges) {
        if (cy.getElementById(edge.id).empty()) {
          cy.add({ group: 'edges', data: edge });
        }
      }
    });
    if (shape !== this.drawn) {
      this.drawn = shape;
      const center = this.current;
      // The inspected node in the middle of its neighbours; with only one or two of them a
      // circle would put all on one line, so they go below it instead.
      cy.layout(nodes.length <= 3
        ? { name: 'breadthfirst', animate: false, padding: 28, roots: [center],
          spacingFactor: 1.1 }
        : { name: 'concentric', animate: false, padding: 28, minNodeSpacing: 48,
          concentric: (node) => (node.id() === center ? 2 : 1), levelWidth: () => 1 }).run();
    }
  }
}

/** The link fields of a node, in field order. */
function links(node) {
  return Object.keys(node).filter((field) => field !== '_').sort()
    .filter((field) => node[field] !== null && typeof node[field] === 'object')
    .map((field) => ({ field, target: String(node[field]['#']) }));
}

/** A node's caption in the drawing: a title-like field when it has one, else its soul. */
function label(soul, node) {
  for (const field of LABEL_FIELDS) {
    if (node && typeof node[field] === 'string' && node[field]) {
      return node[field];
    }
  }
  return soul;
}

function cell(text) {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
}
