import { toBlob, toSvg } from 'html-to-image';

/**
 * A chart panel as a PNG or SVG image, with html-to-image: loaded only when someone asks for an
 * image (src/lib/chart-image-buttons.tsx). The panel is copied as it is shown (chart or table),
 * without its buttons, into a frame off screen, under its title and over a caption saying what
 * it counts, the filters, the data version and the day made. Works under the page's CSP: the
 * image is an SVG data URL drawn onto a canvas (img-src data:), and nothing is fetched.
 */

/** The image formats a chart is offered in. */
export type ChartImageFormat = 'png' | 'svg';

/** What a chart image holds besides the panel: caption lines under it. */
export interface ChartImageRequest {
  /** The panel as shown (`section.panel`). */
  panel: HTMLElement;
  /** The caption's lines, e.g. what n is, the filters, the data version. */
  caption: readonly string[];
}

/** A copy of the panel for the picture: no buttons, no ids, no scrolling, the caption below. */
function makeFrame({ panel, caption }: ChartImageRequest): HTMLElement {
  const frame = panel.cloneNode(true) as HTMLElement;
  frame.querySelectorAll('.panel-tools, [data-export-skip]').forEach((el) => el.remove());
  for (const el of [frame, ...frame.querySelectorAll<HTMLElement>('[id]')])
    el.removeAttribute('id');
  frame.removeAttribute('aria-labelledby');
  frame.classList.add('chart-image-frame');
  frame.dataset.exportFrame = '';
  // Styled here, not in a stylesheet: the picture takes each element's computed style.
  const text = document.createElement('div');
  text.className = 'chart-image-caption';
  Object.assign(text.style, {
    marginTop: '0.75rem',
    paddingTop: '0.5rem',
    borderTop: '1px solid #b1b4b6',
    fontSize: '0.8rem',
    lineHeight: '1.35',
    color: '#0b0c0c',
  });
  for (const line of caption) {
    const p = document.createElement('p');
    p.style.margin = '0';
    p.textContent = line;
    text.append(p);
  }
  frame.append(text);
  // Off screen while it is laid out; the picture's root is placed back by `style` below.
  Object.assign(frame.style, {
    position: 'fixed',
    left: '-100000px',
    top: '0',
    width: `${Math.ceil(panel.getBoundingClientRect().width)}px`,
    margin: '0',
    background: '#ffffff',
  });
  return frame;
}

/** Lets every scrolled part of the frame show all of itself, and widens the frame to fit. */
function unscroll(frame: HTMLElement): void {
  for (const el of frame.querySelectorAll<HTMLElement>('*')) {
    const style = getComputedStyle(el);
    if (/(auto|scroll|hidden)/.test(style.overflowX + style.overflowY)) {
      el.style.overflow = 'visible';
      el.style.maxHeight = 'none';
      el.style.maxWidth = 'none';
    }
  }
  const wide = Math.max(
    frame.scrollWidth,
    ...[...frame.querySelectorAll<HTMLElement>('*')].map((el) => el.scrollWidth),
  );
  if (wide > frame.clientWidth) frame.style.width = `${Math.ceil(wide) + 32}px`;
}

/** The panel as an image file's bytes: a PNG (twice the pixels, for print) or an SVG. */
export async function chartImage(
  format: ChartImageFormat,
  request: ChartImageRequest,
): Promise<Blob> {
  const frame = makeFrame(request);
  document.body.append(frame);
  try {
    unscroll(frame);
    const options = {
      backgroundColor: '#ffffff',
      // The page's fonts are the system's: nothing to embed, and so nothing to fetch.
      skipFonts: true,
      // The frame's border included: scrollWidth leaves it out.
      width: Math.max(frame.scrollWidth, frame.offsetWidth),
      height: Math.max(frame.scrollHeight, frame.offsetHeight),
      style: { position: 'static', left: '0', top: '0', margin: '0' },
    };
    if (format === 'svg') {
      const url = await toSvg(frame, options);
      const svg = decodeURIComponent(url.slice(url.indexOf(',') + 1));
      return new Blob([`<?xml version="1.0" encoding="UTF-8"?>\n${svg}`], {
        type: 'image/svg+xml',
      });
    }
    const png = await toBlob(frame, { ...options, pixelRatio: 2 });
    if (!png) throw new Error('The browser could not draw the chart.');
    return png;
  } finally {
    frame.remove();
  }
}
