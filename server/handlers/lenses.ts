// Code lenses: the estimate summary above each job and service (estimates.ts computes them).
import type { CodeLens, CodeLensParams } from 'vscode-languageserver/node';
import type { EstimateFeatures } from './estimates';
import type { HandlerContext } from './context';

export function codeLenses(ctx: HandlerContext, estimates: EstimateFeatures): (params: CodeLensParams) => CodeLens[] {
  return (params) => {
    const open = ctx.gantryFile(params.textDocument.uri);
    return open ? estimates.codeLenses(open.doc, open.file) : [];
  };
}
