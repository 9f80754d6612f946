#include "inference/vulkan/VulkanInstance.h"

#include "inference/vulkan/VulkanCheck.h"

#include <cstdlib>
#include <cstring>
#include <string>

namespace lucent::vk {
namespace {

constexpr const char* kValidationLayer = "VK_LAYER_KHRONOS_validation";

bool validationRequestedByEnvironment() {
    const char* value = std::getenv("LUCENT_VULKAN_VALIDATION");
    return value && std::strcmp(value, "1") == 0;
}

bool hasLayer(const char* name) {
    uint32_t count = 0;
    vkEnumerateInstanceLayerProperties(&count, nullptr);
    std::vector<VkLayerProperties> layers(count);
    vkEnumerateInstanceLayerProperties(&count, layers.data());
    for (const auto& layer : layers)
        if (std::strcmp(layer.layerName, name) == 0) return true;
    return false;
}

bool hasInstanceExtension(const char* name) {
    uint32_t count = 0;
    vkEnumerateInstanceExtensionProperties(nullptr, &count, nullptr);
    std::vector<VkExtensionProperties> extensions(count);
    vkEnumerateInstanceExtensionProperties(nullptr, &count, extensions.data());
    for (const auto& extension : extensions)
        if (std::strcmp(extension.extensionName, name) == 0) return true;
    return false;
}

std::string versionText(uint32_t version) {
    return std::to_string(VK_API_VERSION_MAJOR(version)) + "." + std::to_string(VK_API_VERSION_MINOR(version));
}

} // namespace

Expected<std::unique_ptr<VulkanInstance>> VulkanInstance::create(const InstanceOptions& options) {
    std::unique_ptr<VulkanInstance> self(new VulkanInstance);
    self->log_ = options.log ? options.log : LogSink(logToStderr);

    // instance version: 1.2 is the floor (subgroups, 16-bit storage and timeline semaphores are core)
    uint32_t loaderVersion = VK_API_VERSION_1_0;
    if (vkEnumerateInstanceVersion(&loaderVersion) != VK_SUCCESS || loaderVersion < VK_API_VERSION_1_2)
        return fail("The Vulkan loader on this system only offers Vulkan " + versionText(loaderVersion) +
                    "; Lucent needs Vulkan 1.2. Update the graphics driver, or use the CPU backend.");
    self->apiVersion_ = loaderVersion >= VK_API_VERSION_1_3 ? VK_API_VERSION_1_3 : VK_API_VERSION_1_2;

    // validation layer and debug messenger, when asked for and installed
    const bool wantValidation = options.validation || validationRequestedByEnvironment();
    const bool validation = wantValidation && hasLayer(kValidationLayer) && hasInstanceExtension(VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
    if (wantValidation && !validation)
        self->log_(LogLevel::Warning, "Vulkan validation was requested but VK_LAYER_KHRONOS_validation is not installed; running without it.");

    std::vector<const char*> layers, extensions;
    if (validation) {
        layers.push_back(kValidationLayer);
        extensions.push_back(VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
    }
    VkApplicationInfo app{VK_STRUCTURE_TYPE_APPLICATION_INFO};
    app.pApplicationName = "Lucent";
    app.pEngineName = "Lucent";
    app.apiVersion = self->apiVersion_;

    VkDebugUtilsMessengerCreateInfoEXT messengerInfo{VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT};
    messengerInfo.messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
    messengerInfo.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                                VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT;
    messengerInfo.pfnUserCallback = &VulkanInstance::onMessage;
    messengerInfo.pUserData = self.get();

    // Synchronization validation catches missing barriers between dependent dispatches.
    const VkValidationFeatureEnableEXT enables[] = {VK_VALIDATION_FEATURE_ENABLE_SYNCHRONIZATION_VALIDATION_EXT};
    VkValidationFeaturesEXT features{VK_STRUCTURE_TYPE_VALIDATION_FEATURES_EXT};
    features.enabledValidationFeatureCount = 1;
    features.pEnabledValidationFeatures = enables;
    features.pNext = &messengerInfo; // also reports problems of vkCreateInstance itself

    VkInstanceCreateInfo info{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
    info.pApplicationInfo = &app;
    info.enabledLayerCount = uint32_t(layers.size());
    info.ppEnabledLayerNames = layers.data();
    info.enabledExtensionCount = uint32_t(extensions.size());
    info.ppEnabledExtensionNames = extensions.data();
    if (validation) info.pNext = &features;
    if (VkResult result = vkCreateInstance(&info, nullptr, &self->instance_); result != VK_SUCCESS) {
        if (result == VK_ERROR_INCOMPATIBLE_DRIVER)
            return fail("No Vulkan driver is installed that supports Vulkan 1.2; install your GPU's Vulkan driver, or use the CPU backend.");
        return fail(failure("create a Vulkan instance", result));
    }

    if (validation) {
        auto create = reinterpret_cast<PFN_vkCreateDebugUtilsMessengerEXT>(
            vkGetInstanceProcAddr(self->instance_, "vkCreateDebugUtilsMessengerEXT"));
        messengerInfo.pNext = nullptr;
        if (!create || create(self->instance_, &messengerInfo, nullptr, &self->messenger_) != VK_SUCCESS)
            self->log_(LogLevel::Warning, "Could not install the Vulkan validation message callback.");
    }
    return self;
}

VulkanInstance::~VulkanInstance() {
    if (messenger_ != VK_NULL_HANDLE) {
        auto destroy = reinterpret_cast<PFN_vkDestroyDebugUtilsMessengerEXT>(
            vkGetInstanceProcAddr(instance_, "vkDestroyDebugUtilsMessengerEXT"));
        if (destroy) destroy(instance_, messenger_, nullptr);
    }
    if (instance_ != VK_NULL_HANDLE) vkDestroyInstance(instance_, nullptr);
}

void VulkanInstance::log(LogLevel level, std::string_view message) const { log_(level, message); }

std::vector<VkPhysicalDevice> VulkanInstance::physicalDevices() const {
    uint32_t count = 0;
    vkEnumeratePhysicalDevices(instance_, &count, nullptr);
    std::vector<VkPhysicalDevice> devices(count);
    if (count) vkEnumeratePhysicalDevices(instance_, &count, devices.data());
    devices.resize(count);
    return devices;
}

VkBool32 VKAPI_PTR VulkanInstance::onMessage(VkDebugUtilsMessageSeverityFlagBitsEXT severity, VkDebugUtilsMessageTypeFlagsEXT,
                                             const VkDebugUtilsMessengerCallbackDataEXT* data, void* self) {
    auto* instance = static_cast<VulkanInstance*>(self);
    const bool error = severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
    (error ? instance->counters_.errors : instance->counters_.warnings).fetch_add(1);
    instance->log_(error ? LogLevel::Error : LogLevel::Warning, data && data->pMessage ? data->pMessage : "(no message)");
    return VK_FALSE; // never abort the call that triggered the report
}

} // namespace lucent::vk
