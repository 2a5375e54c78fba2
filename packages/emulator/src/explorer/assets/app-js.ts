/**
 * /explorer/app.js: the source text of `explorerApp`, compiled with the rest of the package (so it is
 * type-checked and ships in dist without a separate bundle). `__name` covers compilers that keep names.
 */
import { explorerApp } from './client';

export const APP_JS = `"use strict";\nvar __name = function (f) { return f; };\n(${explorerApp.toString()})();\n`;
