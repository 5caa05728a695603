/** @odoo-module **/
/*
 * Journeys of customer files, in a real browser (tests/test_tours.py sets up the users
 * and the records and checks what the journeys leave behind).
 */
import {registry} from "@web/core/registry";
import {
  FILES_TO_APPROVE_MENU,
  REFUSAL_LEADS_SOMEWHERE,
  clickButton,
  followRefusal,
  openApp,
  openMenu,
  openRow,
  pickMany2one,
  saveForm,
  stateIs,
} from "./customer_archive_tour_utils";

const APP = "customer_archive.customer_archive_menu_root";
const SALES_APP = "sale.sale_menu_root";
// Names the Python side knows as well (tests/tour_common.py).
const NEW_CUSTOMER = "东莞途测五金贸易有限公司";
const PRODUCT = "途测不锈钢管";

function openFiles() {
  return [
    ...openApp(APP),
    ...openMenu(
      "customer_archive.customer_archive_menu_files",
      "customer_archive.customer_archive_menu"
    ),
    {content: "the list of files", trigger: ".o_list_view"},
  ];
}

function openFilesToApprove() {
  if (FILES_TO_APPROVE_MENU) {
    return [
      ...openApp(APP),
      ...openMenu(...FILES_TO_APPROVE_MENU),
      {content: "the files waiting for me", trigger: ".o_list_view"},
    ];
  }
  return openFiles();
}

// a. The salesperson creates a customer and its file, tries an order, is refused, goes
// to the file and submits it.
registry.category("web_tour.tours").add("customer_archive_journey_new_customer", {
  url: "/odoo",
  steps: () => [
    ...openFiles(),
    {content: "new file", trigger: ".o_list_button_add", run: "click"},
    {
      content: "type the new customer's name",
      trigger: ".o_form_view .o_field_widget[name='partner_id'] input",
      run: `edit ${NEW_CUSTOMER}`,
    },
    {
      content: "create the customer from the file",
      trigger:
        ".o-autocomplete--dropdown-menu .o_m2o_dropdown_option_create a, .o-autocomplete--dropdown-menu .o_m2o_dropdown_option_create",
      run: "click",
    },
    {
      content: "the customer is set",
      trigger: `.o_field_widget[name='partner_id'] input:value('${NEW_CUSTOMER}')`,
    },
    {
      content: "a sole trader (no document required)",
      trigger: ".o_field_widget[name='nature'] select",
      run: 'select "individual"',
    },
    ...saveForm(),
    // An order for the new customer.
    ...openApp(SALES_APP),
    {
      content: "new quotation",
      trigger: ".o_list_button_add, .o-kanban-button-new",
      run: "click",
    },
    ...pickMany2one("partner_id", NEW_CUSTOMER),
    {
      content: "add a product",
      trigger: ".o_field_widget[name='order_line'] .o_field_x2many_list_row_add a",
      run: "click",
    },
    {
      content: "type the product",
      trigger:
        ".o_field_widget[name='order_line'] .o_selected_row .o_field_widget[name='product_template_id'] input",
      run: `edit ${PRODUCT}`,
    },
    {
      content: "select the product",
      trigger: `.o-autocomplete--dropdown-menu a:contains('${PRODUCT}')`,
      run: "click",
    },
    {
      content: "the product is on the line",
      trigger: `.o_field_widget[name='order_line'] .o_field_widget[name='product_template_id'] input:value('${PRODUCT}')`,
    },
    clickButton("action_confirm", "confirm the quotation"),
    ...followRefusal("no approved file: refused"),
    ...(REFUSAL_LEADS_SOMEWHERE ? [] : [...openFiles(), ...openRow(NEW_CUSTOMER)]),
    clickButton("action_submit", "submit the file"),
    stateIs("submitted"),
  ],
});

// b. The sales manager, then the general manager, approve the file from their menus.
registry.category("web_tour.tours").add("customer_archive_journey_approve_file", {
  url: "/odoo",
  steps: () => [
    ...openFilesToApprove(),
    ...openRow(NEW_CUSTOMER),
    stateIs("submitted"),
    {
      content: "approve",
      trigger: ".o_form_view button[name='validate_tier']:enabled:visible",
      run: "click",
    },
    {
      content: "my approval is recorded: no Validate button any more",
      trigger: ".o_form_view:not(:has(button[name='validate_tier']:visible))",
    },
  ],
});

// c. The file approved, the salesperson confirms the order.
registry.category("web_tour.tours").add("customer_archive_journey_confirm_order", {
  url: "/odoo",
  steps: () => [
    ...openApp(SALES_APP),
    ...openRow(NEW_CUSTOMER),
    clickButton("action_confirm", "confirm the quotation"),
    stateIs("sale"),
  ],
});
