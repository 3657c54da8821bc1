/**
 * The names of a balanced comparison tree (the fused dot-add's largest exponent, the quantizer's
 * block maximum): a balanced tree of two-input maximums over named leaves: each node `<prefix>_l<depth>_<i>` is the
 * larger of two names below it (an odd one out passes up a level).
 */
export function maxTree(leaves: readonly string[], prefix = 'emax'): { nodes: { name: string; left: string; right: string }[]; root: string } {
  const nodes: { name: string; left: string; right: string }[] = [];
  let level = [...leaves];
  let depth = 0;
  while (level.length > 1) {
    depth++;
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) {
      if (i + 1 === level.length) next.push(level[i]);
      else {
        const name = `${prefix}_l${depth}_${i / 2}`;
        nodes.push({ name, left: level[i], right: level[i + 1] });
        next.push(name);
      }
    }
    level = next;
  }
  return { nodes, root: level[0] };
}
