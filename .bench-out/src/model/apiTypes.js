"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
//# sourceMappingURL=apiTypes.js.map