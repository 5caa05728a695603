/** @odoo-module **/
/**
 * Web-client terms of the approval module (base_tier_validation) that its own zh_CN
 * catalogue leaves empty: the web client merges every module's terms into one table,
 * so naming them here ships their translation with this addon's catalogue.
 */
import {_t} from "@web/core/l10n/translation";

export const tierReviewTerms = [
  // Header of the review table (tier_review_widget.xml)
  _t("Todo by"),
];
