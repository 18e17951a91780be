// The execution's timeline as the server drew it: the same SVG `run --svg` writes, from the same layout (break-
// compressed time, collision-free labels, invocation starts marked). Parsed as XML and adopted, so its tooltips work;
// the server escaped every text in it.
import { h } from './dom.js';

export function timelinePicture(svgText, name) {
  const parsed = new DOMParser().parseFromString(svgText, 'image/svg+xml');
  const svg = parsed.documentElement;
  if (svg.namespaceURI !== 'http://www.w3.org/2000/svg' || svg.localName !== 'svg') {
    return h('p', { class: 'error' }, 'The timeline could not be drawn.');
  }
  const picture = document.importNode(svg, true);
  picture.setAttribute('role', 'img');
  picture.setAttribute('aria-label', `Timeline of ${name}`);
  return h('div', { class: 'timeline' }, picture);
}
