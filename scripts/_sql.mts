import { VIEW_QUERIES } from '../src/shell/view-statements';
import { inlineParams } from '../src/lib/sql';
const [view, q] = process.argv.slice(2);
const b = VIEW_QUERIES[view!]![q!]!({ region: 'London' });
console.log(inlineParams(b));
