/** @odoo-module **/
/*
 * Journeys of the credit stop, in a real browser (tests/test_tours.py sets up the users
 * and the records and checks what the journeys leave behind).
 */
import {registry} from "@web/core/registry";
import {
  CREDIT_TO_APPROVE_MENU,
  PROFILE_HOLD_BUTTON,
  REFUSAL_LEADS_SOMEWHERE,
  clickButton,
  followRefusal,
  openApp,
  openMenu,
  openRow,
  stateIs,
} from "@customer_archive/../tests/tours/customer_archive_tour_utils";

const APP = "customer_archive.customer_archive_menu_root";
const CREDIT = "customer_credit.customer_credit_menu_root";
const SALES_APP = "sale.sale_menu_root";
// Names the Python side knows as well (customer_archive/tests/tour_common.py).
const CUSTOMER = "东莞途测五金贸易有限公司";

// d1. The salesperson's order is over the limit: refused; the override is requested.
registry.category("web_tour.tours").add("customer_credit_journey_request_override", {
  url: "/odoo",
  steps: () => [
    ...openApp(SALES_APP),
    ...openRow(CUSTOMER),
    clickButton("action_confirm", "confirm the quotation"),
    ...followRefusal("over the credit limit: refused"),
    ...(REFUSAL_LEADS_SOMEWHERE
      ? []
      : [clickButton("action_credit_override_request", "request a credit override")]),
    {
      content: "say why",
      trigger: ".modal .o_field_widget[name='reason'] textarea",
      run: "edit 老客户，十年来按时付款，本月底前回款。",
    },
    {
      content: "send to the queue",
      trigger: ".modal button[name='action_request']",
      run: "click",
    },
    {content: "the dialog is gone", trigger: "body:not(:has(.modal))"},
    stateIs("pending"),
  ],
});

// d2. Finance approves the override from its menu.
registry.category("web_tour.tours").add("customer_credit_journey_approve_override", {
  url: "/odoo",
  steps: () => [
    ...openApp(APP),
    ...openMenu(
      ...(CREDIT_TO_APPROVE_MENU || [
        CREDIT,
        "customer_credit.customer_credit_override_menu",
      ])
    ),
    ...openRow(CUSTOMER),
    stateIs("pending"),
    clickButton("action_approve", "approve the override"),
    stateIs("approved"),
  ],
});

// e1. Finance puts the customer on hold from its credit profile.
registry.category("web_tour.tours").add("customer_credit_journey_hold", {
  url: "/odoo",
  steps: () => [
    ...openApp(APP),
    ...openMenu(CREDIT, "customer_credit.customer_credit_profile_menu"),
    ...openRow(CUSTOMER),
    ...(PROFILE_HOLD_BUTTON
      ? [clickButton("action_credit_hold", "put the customer on hold")]
      : [
          {
            content: "the Actions menu",
            trigger: ".o_cp_action_menus button:has(.fa-cog)",
            run: "click",
          },
          {
            content: "Hold or Release",
            trigger:
              ".o-dropdown--menu .o_menu_item:contains('Hold or Release'), .o-dropdown--menu .o_menu_item:contains('暂停或解除')",
            run: "click",
          },
          {
            content: "put on hold",
            trigger: ".modal .o_field_widget[name='action'] input[data-value='hold']",
            run: "click",
          },
        ]),
    {
      content: "say why",
      trigger: ".modal .o_field_widget[name='reason'] textarea",
      run: "edit 逾期未回款，停止发货。",
    },
    {content: "apply", trigger: ".modal button[name='action_apply']", run: "click"},
    {content: "the dialog is gone", trigger: "body:not(:has(.modal))"},
  ],
});

// e2. The warehouse validates the customer's next delivery: refused.
registry.category("web_tour.tours").add("customer_credit_journey_delivery_refused", {
  url: "/odoo",
  steps: () => [
    ...openApp("stock.menu_stock_root"),
    ...openMenu("stock.menu_stock_warehouse_mgmt", "stock.out_picking"),
    ...openRow(CUSTOMER),
    clickButton("button_validate", "validate the delivery"),
    // closed whatever its button offers: the journey ends on the refused delivery
    ...followRefusal("the customer is on hold: refused", false),
    {
      content: "the delivery is not done",
      trigger:
        ".o_form_view .o_statusbar_status button.o_arrow_button_current:not([data-value='done'])",
    },
  ],
});
